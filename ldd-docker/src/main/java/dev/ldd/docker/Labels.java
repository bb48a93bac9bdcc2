package dev.ldd.docker;

/** The labels that mark containers and images as LDD's, so that they can be found and reaped. */
public final class Labels {
  public static final String PREFIX = "dev.ldd.";
  /** The daemon id a container was started for (what {@code listOwned} filters on). */
  public static final String DAEMON = "dev.ldd.daemon";
  /** The function's name. */
  public static final String FUNCTION = "dev.ldd.function";
  /** The engine's instance id. */
  public static final String INSTANCE = "dev.ldd.instance";
  /** The id of the runtime object that started it (what the events stream filters on). */
  public static final String RUNTIME = "dev.ldd.runtime";
  /** On images built by the function image builder: the hash of what went into them. */
  public static final String IMAGE_CONTENT_HASH = "dev.ldd.image.content-hash";
  /** On images built by the function image builder: the main class. */
  public static final String IMAGE_MAIN_CLASS = "dev.ldd.image.main-class";

  private Labels() {}
}
