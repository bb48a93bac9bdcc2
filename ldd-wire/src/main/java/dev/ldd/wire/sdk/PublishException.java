package dev.ldd.wire.sdk;

/** A publication was not accepted: refused by the daemon, or the connection closed first. */
public class PublishException extends RuntimeException {
  public PublishException(String message) {
    super(message);
  }

  public PublishException(String message, Throwable cause) {
    super(message, cause);
  }
}
