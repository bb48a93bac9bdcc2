package dev.ldd.core.engine;

import java.util.List;

/**
 * A snapshot of the engine, for status endpoints.
 *
 * @param inFlight messages received and not yet settled
 * @param maxInFlight the bound on that
 * @param sourcePaused whether the source is paused by back-pressure or shutdown
 * @param functions one entry per function
 */
public record EngineStatus(int inFlight, int maxInFlight, boolean sourcePaused, List<FunctionStatus> functions) {
  /**
   * @param name the function
   * @param pending messages held waiting for an instance
   * @param instances its instances that are not dead
   * @param lastErrors the most recent errors, newest last
   */
  public record FunctionStatus(String name, int pending, List<InstanceStatus> instances, List<String> lastErrors) {}

  /**
   * @param id the engine's instance id
   * @param state its state
   * @param inFlight invocations in flight on it
   * @param capacity invocations it takes at once (0 until ready)
   */
  public record InstanceStatus(String id, InstanceState state, int inFlight, int capacity) {}
}
