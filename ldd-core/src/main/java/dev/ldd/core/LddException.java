package dev.ldd.core;

/**
 * The root of every exception LDD throws. Messages say what was wrong and, where it helps, what to do.
 * Subclasses mark the few distinctions callers act on.
 */
public class LddException extends RuntimeException {
  public LddException(String message) {
    super(message);
  }

  public LddException(String message, Throwable cause) {
    super(message, cause);
  }
}
