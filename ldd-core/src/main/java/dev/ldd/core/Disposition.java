package dev.ldd.core;

/** What the engine did with a delivered message in the end. */
public enum Disposition {
  /** Accepted (ACKed) after the function returned OK and its publications were confirmed. */
  ACCEPTED,
  /** Failed back to the bus for redelivery. */
  FAILED,
  /** Dead-lettered by rejecting it to the bus's dead-message queue. */
  DEAD_LETTERED_REJECT,
  /** Dead-lettered by publishing it, with the error, to the dead-letter topic, then accepted. */
  DEAD_LETTERED_TOPIC,
  /** Accepted without processing: no route matched and the policy says accept-and-log. */
  ACCEPTED_NO_ROUTE,
  /** Left unsettled at shutdown: the bus redelivers it. */
  LEFT_UNSETTLED
}
