package dev.ldd.solace.config;

/** How the publisher sends. */
public enum PublishDelivery {
  /** Guaranteed: the publish future completes when the broker has confirmed the message. The default. */
  PERSISTENT,
  /** Direct (at most once): the future completes as soon as the message is handed to the API. */
  DIRECT
}
