package dev.ldd.launcher.config;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * The daemon itself.
 *
 * @param id the daemon's id: labels the instances it owns, so that its next start reaps their orphans
 * @param admin the admin HTTP endpoint
 * @param drainTimeout how long a graceful stop waits for invocations in flight
 * @param maxInFlight messages in flight at most before the source is paused
 */
public record DaemonConfig(String id, AdminConfig admin, Duration drainTimeout, int maxInFlight) {
  public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(30);
  public static final int DEFAULT_MAX_IN_FLIGHT = 256;

  public DaemonConfig {
    requireNonNull(id, "id");
    requireNonNull(admin, "admin");
    requireNonNull(drainTimeout, "drainTimeout");
    if (drainTimeout.isNegative()) {
      throw new IllegalArgumentException("drainTimeout must not be negative, was " + drainTimeout);
    }
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("maxInFlight must be >= 1, was " + maxInFlight);
    }
  }
}
