package dev.ldd.wire.frame;

/**
 * A wire protocol version. Peers with the same major version interoperate; a minor version only adds
 * fields, which older peers ignore.
 *
 * @param major incompatible changes
 * @param minor compatible additions
 */
public record ProtocolVersion(int major, int minor) {
  /** The version this library speaks. */
  public static final ProtocolVersion CURRENT = new ProtocolVersion(1, 0);

  public ProtocolVersion {
    if (major < 0 || minor < 0) {
      throw new IllegalArgumentException("protocol version must not be negative, was " + major + "." + minor);
    }
  }

  /** Whether a peer speaking {@code other} can talk to one speaking this version. */
  public boolean isCompatibleWith(ProtocolVersion other) {
    return major == other.major;
  }

  @Override
  public String toString() {
    return major + "." + minor;
  }
}
