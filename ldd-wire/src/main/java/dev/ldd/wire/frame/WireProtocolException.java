package dev.ldd.wire.frame;

/**
 * The peer broke the LDD wire protocol: a truncated, oversized or malformed frame, a frame of an
 * unknown or unexpected type, a reference to an id that is not in flight, an incompatible version.
 * The message says what was wrong. The connection it arrived on must be closed.
 *
 * <p>This is the function SDK's own type, so that function images need no ldd-core; the daemon-side
 * transport reports it as {@code dev.ldd.core.ProtocolException}.
 */
public class WireProtocolException extends RuntimeException {
  public WireProtocolException(String message) {
    super(message);
  }

  public WireProtocolException(String message, Throwable cause) {
    super(message, cause);
  }
}
