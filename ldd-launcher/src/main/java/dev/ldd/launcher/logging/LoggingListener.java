package dev.ldd.launcher.logging;

import dev.ldd.core.Disposition;
import dev.ldd.core.DrainReport;
import dev.ldd.core.EngineListener;
import dev.ldd.core.InvocationOutcome;
import dev.ldd.core.StopReason;
import dev.ldd.core.routing.Route;
import dev.ldd.core.spi.InboundMessage;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes engine events to the {@value #LOGGER} logger: one line per notable event at INFO or WARN
 * (an instance ready with its cold-start breakdown, an instance stopped and why, a start failure, a
 * message dead-lettered and why, backpressure, the drain), and per-message lines (received, routed,
 * invoked, settled) at DEBUG only. Message payloads and properties are never logged. Thread-safe.
 */
public final class LoggingListener implements EngineListener {
  public static final String LOGGER = "dev.ldd.engine";

  private final Logger log;

  public LoggingListener() {
    this(LoggerFactory.getLogger(LOGGER));
  }

  LoggingListener(Logger log) {
    this.log = log;
  }

  @Override
  public void deliveryReceived(InboundMessage message) {
    if (log.isDebugEnabled()) {
      log.debug("received {}", describe(message));
    }
  }

  @Override
  public void routeChosen(InboundMessage message, Route route) {
    if (log.isDebugEnabled()) {
      log.debug("routed {} to '{}' by '{}'", describe(message), route.function(), route.subscription());
    }
  }

  @Override
  public void instanceStarting(String function, String instanceId, boolean prewarm) {
    log.debug("starting instance {} of '{}'{}", instanceId, function, prewarm ? " (prewarm)" : "");
  }

  @Override
  public void instanceReady(String function, String instanceId, Map<String, Duration> coldStart) {
    Duration total = Duration.ZERO;
    StringJoiner phases = new StringJoiner(", ", " (", ")");
    for (Map.Entry<String, Duration> phase : coldStart.entrySet()) {
      total = total.plus(phase.getValue());
      phases.add(phase.getKey() + " " + millis(phase.getValue()));
    }
    log.info("instance {} of '{}' ready in {}{}", instanceId, function, millis(total),
        coldStart.isEmpty() ? "" : phases);
  }

  @Override
  public void instanceStartFailed(String function, String instanceId, Throwable cause, int consecutiveFailures) {
    log.warn("instance {} of '{}' could not start (failure {} in a row): {}", instanceId, function,
        consecutiveFailures, cause.getMessage());
  }

  @Override
  public void instanceStopped(String function, String instanceId, StopReason reason, String detail) {
    String why = reason.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    String suffix = detail == null || detail.isEmpty() ? "" : ": " + detail;
    switch (reason) {
      case IDLE, SHUTDOWN -> log.info("instance {} of '{}' stopped ({}){}", instanceId, function, why, suffix);
      default -> log.warn("instance {} of '{}' stopped ({}){}", instanceId, function, why, suffix);
    }
  }

  @Override
  public void invocationEnded(String function, String instanceId, String invocationId, InvocationOutcome outcome,
      Duration duration, String error) {
    if (log.isDebugEnabled()) {
      log.debug("invocation {} of '{}' on {} ended {} in {}{}", invocationId, function, instanceId, outcome,
          millis(duration), error == null || error.isEmpty() ? "" : ": " + error);
    }
  }

  @Override
  public void settled(InboundMessage message, String function, Disposition disposition, String reason) {
    switch (disposition) {
      case DEAD_LETTERED_REJECT, DEAD_LETTERED_TOPIC -> log.warn("dead-lettered {}{} to {}: {}", describe(message),
          function == null ? " (no route)" : " of '" + function + "'",
          disposition == Disposition.DEAD_LETTERED_TOPIC ? "the dead-letter topic" : "the bus's dead-message queue",
          reason);
      case ACCEPTED_NO_ROUTE -> log.warn("no route for {}: accepted and dropped, as the noRoute policy says",
          describe(message));
      default -> {
        if (log.isDebugEnabled()) {
          log.debug("settled {} {}{}", describe(message), disposition,
              reason == null || reason.isEmpty() ? "" : ": " + reason);
        }
      }
    }
  }

  @Override
  public void backpressure(boolean paused, int inFlight) {
    if (paused) {
      log.info("source paused: {} messages in flight", inFlight);
    } else {
      log.info("source resumed: {} messages in flight", inFlight);
    }
  }

  @Override
  public void drained(DrainReport report) {
    String line = "drained in " + millis(report.took()) + ": " + report.settledDuringDrain() + " settled, "
        + report.leftUnsettled() + " left to the bus, " + report.instancesStopped() + " instances stopped";
    if (report.timedOut()) {
      log.warn("{} (the drain timeout passed with invocations in flight)", line);
    } else {
      log.info(line);
    }
  }

  private static String describe(InboundMessage m) {
    return "message " + (m.messageId() == null ? "(no id)" : m.messageId()) + " on '" + m.queue() + "' topic '"
        + m.topic() + "' (delivery " + m.effectiveDeliveryCount() + ")";
  }

  private static String millis(Duration d) {
    return d.toMillis() + " ms";
  }
}
