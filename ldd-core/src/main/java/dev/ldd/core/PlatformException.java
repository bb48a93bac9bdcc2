package dev.ldd.core;

/**
 * A fault of the platform rather than of a message or a function: the container engine is down, an
 * image is missing, an instance could not be started. The engine retries these with back-off and never
 * counts them against a message's delivery budget.
 */
public class PlatformException extends LddException {
  public PlatformException(String message) {
    super(message);
  }

  public PlatformException(String message, Throwable cause) {
    super(message, cause);
  }
}
