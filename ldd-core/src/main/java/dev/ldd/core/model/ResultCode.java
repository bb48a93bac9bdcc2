package dev.ldd.core.model;

/** What a function says about an invocation. */
public enum ResultCode {
  /** Done: the input may be acknowledged once the function's publications are confirmed. */
  OK,
  /** Failed, worth retrying: the input goes back to the bus (dead-lettered once it failed too often). */
  ERROR,
  /** The input is poison: dead-letter it now, never retry. */
  REJECT
}
