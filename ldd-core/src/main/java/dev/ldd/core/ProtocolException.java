package dev.ldd.core;

/**
 * A peer broke the wire protocol: a malformed or oversized frame, an unexpected frame type, an
 * incompatible version. The connection it arrived on is closed; nothing else is affected.
 */
public class ProtocolException extends LddException {
  public ProtocolException(String message) {
    super(message);
  }

  public ProtocolException(String message, Throwable cause) {
    super(message, cause);
  }
}
