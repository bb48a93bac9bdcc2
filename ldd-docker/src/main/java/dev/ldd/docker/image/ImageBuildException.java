package dev.ldd.docker.image;

import dev.ldd.core.LddException;

/**
 * A function image could not be built from what it was given: a missing jar or main class, a JRE that
 * could not be linked, a shared library missing on this machine, a build the engine refused. Faults of the
 * engine itself (unreachable) are {@link dev.ldd.core.PlatformException}s.
 */
public class ImageBuildException extends LddException {
  public ImageBuildException(String message) {
    super(message);
  }

  public ImageBuildException(String message, Throwable cause) {
    super(message, cause);
  }
}
