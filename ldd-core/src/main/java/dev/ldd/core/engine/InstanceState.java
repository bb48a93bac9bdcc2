package dev.ldd.core.engine;

/** The life of an instance in a function's pool. */
public enum InstanceState {
  /** Being started by the runtime, or waiting for its ready handshake. */
  STARTING,
  /** Ready with no invocation in flight. */
  READY,
  /** Ready with invocations in flight (possibly with room for more). */
  BUSY,
  /** Takes no new invocations; stopped once those in flight finish. */
  DRAINING,
  /** Stopped, killed or lost. */
  DEAD
}
