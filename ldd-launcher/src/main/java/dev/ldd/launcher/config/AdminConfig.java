package dev.ldd.launcher.config;

import static java.util.Objects.requireNonNull;

/**
 * Where the admin HTTP endpoint (health, readiness, metrics, status, publish) listens.
 *
 * @param bind the address to bind, {@code 127.0.0.1} by default
 * @param port the TCP port, 8080 by default; 0 picks a free one
 */
public record AdminConfig(String bind, int port) {
  public static final AdminConfig DEFAULT = new AdminConfig("127.0.0.1", 8080);

  public AdminConfig {
    requireNonNull(bind, "bind");
    if (bind.isBlank()) {
      throw new IllegalArgumentException("admin bind address must not be blank");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("admin port must be in 0..65535, was " + port);
    }
  }
}
