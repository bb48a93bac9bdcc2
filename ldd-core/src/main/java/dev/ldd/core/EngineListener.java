package dev.ldd.core;

import dev.ldd.core.routing.Route;
import dev.ldd.core.spi.InboundMessage;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Events of the dispatch engine, for metrics and logs. Every method has an empty default, so a listener
 * overrides only what it needs; {@link #NONE} ignores everything. Called on engine threads: return
 * quickly and never block. An exception thrown by a listener is logged and otherwise ignored.
 */
public interface EngineListener {
  EngineListener NONE = new EngineListener() {};

  /** A message arrived from the source. Called on the source's thread. */
  default void deliveryReceived(InboundMessage message) {}

  /** The routing table chose {@code route} for {@code message}. */
  default void routeChosen(InboundMessage message, Route route) {}

  /** No route matched {@code message}; the no-route policy settles it. */
  default void noRoute(InboundMessage message) {}

  /** An instance is being started; {@code prewarm} when it was started to keep {@code minInstances}. */
  default void instanceStarting(String function, String instanceId, boolean prewarm) {}

  /**
   * An instance passed its ready handshake. {@code coldStart} breaks the start down into phases in order
   * (the runtime's own, such as {@code create} and {@code start}, then {@code ready}).
   */
  default void instanceReady(String function, String instanceId, Map<String, Duration> coldStart) {}

  /** An instance could not be started; {@code consecutiveFailures} counts this function's failures in a row. */
  default void instanceStartFailed(String function, String instanceId, Throwable cause, int consecutiveFailures) {}

  /** An instance was stopped or lost. */
  default void instanceStopped(String function, String instanceId, StopReason reason, String detail) {}

  /** An invocation was sent; {@code cold} when it is the first on an instance started on demand for it. */
  default void invocationStarted(String function, String instanceId, String invocationId, boolean cold) {}

  /** An invocation ended. {@code error} is empty for OK. */
  default void invocationEnded(
      String function, String instanceId, String invocationId, InvocationOutcome outcome, Duration duration,
      String error) {}

  /**
   * A message was settled (or left unsettled). {@code function} is null when no route matched;
   * {@code reason} says why for anything but an accept.
   */
  default void settled(InboundMessage message, String function, Disposition disposition, String reason) {}

  /** The engine paused ({@code true}) or resumed the source because of its in-flight bound. */
  default void backpressure(boolean paused, int inFlight) {}

  /** A graceful stop finished. */
  default void drained(DrainReport report) {}

  /** Calls every listener in order. */
  static EngineListener composite(List<EngineListener> listeners) {
    return new CompositeEngineListener(listeners);
  }
}
