package dev.ldd.core;

/** How one invocation ended, as the engine saw it. */
public enum InvocationOutcome {
  OK,
  ERROR,
  REJECT,
  /** Its deadline passed. */
  TIMEOUT,
  /** The connection to its instance was lost, or the instance died. */
  LOST
}
