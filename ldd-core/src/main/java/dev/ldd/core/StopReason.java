package dev.ldd.core;

/** Why the engine stopped or lost an instance. */
public enum StopReason {
  /** Idle longer than its idle timeout, above {@code minInstances}. */
  IDLE,
  /** Retired after a function returned ERROR (kill-on-error). */
  ERROR_RESULT,
  /** Killed because an invocation's deadline passed. */
  DEADLINE,
  /** The connection was lost or the instance exited on its own. */
  LOST,
  /** It could not be started or did not become ready. */
  START_FAILED,
  /** The daemon is stopping. */
  SHUTDOWN
}
