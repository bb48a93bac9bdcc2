package dev.ldd.core;

import dev.ldd.core.routing.Route;
import dev.ldd.core.spi.InboundMessage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Fans events out to several listeners, isolating each from the others' exceptions. */
final class CompositeEngineListener implements EngineListener {
  private static final Logger log = LoggerFactory.getLogger(CompositeEngineListener.class);
  private final List<EngineListener> listeners;

  CompositeEngineListener(List<EngineListener> listeners) {
    this.listeners = List.copyOf(listeners);
  }

  private void each(Consumer<EngineListener> event) {
    for (EngineListener l : listeners) {
      try {
        event.accept(l);
      } catch (RuntimeException e) {
        log.warn("engine listener {} threw; ignoring", l.getClass().getName(), e);
      }
    }
  }

  @Override
  public void deliveryReceived(InboundMessage message) {
    each(l -> l.deliveryReceived(message));
  }

  @Override
  public void routeChosen(InboundMessage message, Route route) {
    each(l -> l.routeChosen(message, route));
  }

  @Override
  public void noRoute(InboundMessage message) {
    each(l -> l.noRoute(message));
  }

  @Override
  public void instanceStarting(String function, String instanceId, boolean prewarm) {
    each(l -> l.instanceStarting(function, instanceId, prewarm));
  }

  @Override
  public void instanceReady(String function, String instanceId, Map<String, Duration> coldStart) {
    each(l -> l.instanceReady(function, instanceId, coldStart));
  }

  @Override
  public void instanceStartFailed(String function, String instanceId, Throwable cause, int consecutiveFailures) {
    each(l -> l.instanceStartFailed(function, instanceId, cause, consecutiveFailures));
  }

  @Override
  public void instanceStopped(String function, String instanceId, StopReason reason, String detail) {
    each(l -> l.instanceStopped(function, instanceId, reason, detail));
  }

  @Override
  public void invocationStarted(String function, String instanceId, String invocationId, boolean cold) {
    each(l -> l.invocationStarted(function, instanceId, invocationId, cold));
  }

  @Override
  public void invocationEnded(String function, String instanceId, String invocationId, InvocationOutcome outcome,
      Duration duration, String error) {
    each(l -> l.invocationEnded(function, instanceId, invocationId, outcome, duration, error));
  }

  @Override
  public void settled(InboundMessage message, String function, Disposition disposition, String reason) {
    each(l -> l.settled(message, function, disposition, reason));
  }

  @Override
  public void backpressure(boolean paused, int inFlight) {
    each(l -> l.backpressure(paused, inFlight));
  }

  @Override
  public void drained(DrainReport report) {
    each(l -> l.drained(report));
  }
}
