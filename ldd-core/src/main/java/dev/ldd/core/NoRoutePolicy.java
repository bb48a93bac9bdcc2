package dev.ldd.core;

/** What happens to a message that matches no route. */
public enum NoRoutePolicy {
  /** Dead-letter it (the default): the engine's no-route dead-letter policy decides how. */
  DEAD_LETTER,
  /** Accept it and log a warning. */
  ACCEPT
}
