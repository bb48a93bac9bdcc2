package dev.ldd.launcher.config;

import static java.util.Objects.requireNonNull;


/**
 * A secret value from the configuration (a password, a token). Its {@link #toString} is {@code ***}, so
 * it never reaches a log line, an error message or the status output by accident; {@link #reveal} is
 * for the one place that hands it to the client that needs it. Immutable.
 */
public final class Secret {
  public static final String MASK = "***";

  private final String value;

  private Secret(String value) {
    this.value = requireNonNull(value, "value");
  }

  public static Secret of(String value) {
    return new Secret(value);
  }

  /** The plain value. */
  public String reveal() {
    return value;
  }

  /**
   * Whether a configuration key names a secret ({@code DB_PASSWORD}, {@code apiToken}): the engine's own
   * rule, {@link dev.ldd.core.model.FunctionSpec#isSecretKey}, so that config and logs agree.
   */
  public static boolean isSecretKey(String key) {
    return dev.ldd.core.model.FunctionSpec.isSecretKey(key);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Secret other && other.value.equals(value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public String toString() {
    return MASK;
  }
}
