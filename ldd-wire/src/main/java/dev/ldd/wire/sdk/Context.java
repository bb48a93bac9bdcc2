package dev.ldd.wire.sdk;

import java.util.Map;

/**
 * What a running invocation can do besides return. Valid until the handler returns; thread-safe, so a
 * handler may publish from threads of its own while it waits for them.
 */
public interface Context {
  /**
   * Publishes a message and blocks until the daemon has taken responsibility for it.
   *
   * @throws PublishException when the daemon refused it, the connection closed, or no answer came before
   *     the invocation's deadline
   * @throws IllegalStateException when the handler has already returned
   */
  void publish(String topic, byte[] payload, Map<String, String> properties);

  /**
   * Answers a request: publishes to the invocation's reply-to destination, carrying its correlation id.
   * Blocks like {@link #publish}.
   *
   * @throws IllegalStateException when the invocation has no reply-to destination
   */
  void reply(byte[] payload, Map<String, String> properties);
}
