package dev.ldd.solace.config;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Create the queue when it is missing and add topic subscriptions to it. An existing queue's settings
 * are left as they are; subscriptions it already has are ignored.
 *
 * @param exclusive an exclusive queue (one active consumer, the others on standby) rather than a
 *     non-exclusive one (round-robin across consumers); default false
 * @param subscriptions topic subscriptions to add (Solace wildcards allowed)
 * @param maxRedelivery the queue's redelivery bound before it dead-letters (0..255, 0 = no bound, the
 *     broker's default); default 0
 */
public record ProvisionConfig(Boolean exclusive, List<String> subscriptions, Integer maxRedelivery) {
  public ProvisionConfig {
    exclusive = exclusive == null ? Boolean.FALSE : exclusive;
    subscriptions = Problems.copy(subscriptions);
    maxRedelivery = maxRedelivery == null ? 0 : maxRedelivery;
  }

  public List<String> problems(String path) {
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < subscriptions.size(); i++) {
      String s = subscriptions.get(i);
      if (Problems.blank(s)) {
        problems.add(path + ".subscriptions[" + i + "]: must not be blank");
      } else if (s.getBytes(StandardCharsets.UTF_8).length > 250) {
        problems.add(path + ".subscriptions[" + i + "]: must be at most 250 bytes");
      }
    }
    Problems.range(problems, path + ".maxRedelivery", maxRedelivery, 0, 255);
    return problems;
  }
}
