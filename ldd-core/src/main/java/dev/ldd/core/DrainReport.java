package dev.ldd.core;

import java.time.Duration;

/**
 * What a graceful stop did.
 *
 * @param settledDuringDrain messages whose invocations finished and settled while draining
 * @param leftUnsettled messages left to the bus for redelivery (held, not started, or past the timeout)
 * @param instancesStopped instances stopped at the end
 * @param took how long the drain took
 * @param timedOut whether the drain timeout passed with invocations still in flight
 */
public record DrainReport(
    int settledDuringDrain, int leftUnsettled, int instancesStopped, Duration took, boolean timedOut) {}
