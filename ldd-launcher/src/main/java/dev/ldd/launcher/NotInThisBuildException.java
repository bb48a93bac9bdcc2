package dev.ldd.launcher;

import dev.ldd.core.LddException;

/**
 * The config asks for something this build of the launcher does not include (an adapter module that is
 * not wired in yet). {@code ldd run} exits with 3 for it.
 */
public class NotInThisBuildException extends LddException {
  public NotInThisBuildException(String message) {
    super(message);
  }
}
