package dev.ldd.wire.conformance;

/** The topics and property names of the conformance function contract (PROTOCOL.md). */
final class Topics {
  static final String ECHO = "conformance/echo";
  static final String ERROR = "conformance/error";
  static final String REJECT = "conformance/reject";
  static final String SLEEP = "conformance/sleep";
  static final String PUBLISH = "conformance/publish";
  static final String REPLY = "conformance/reply";
  static final String INSPECT = "conformance/inspect";
  static final String INSPECTED = "conformance/inspected";
  static final String TOPIC_PROPERTY = "topic";

  private Topics() {}
}
