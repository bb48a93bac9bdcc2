package dev.ldd.solace.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Where and how function publications go.
 *
 * @param session the name of the session (message VPN) to publish on; null means the first session
 * @param delivery persistent (confirmed by the broker, the default) or direct
 */
public record PublisherConfig(String session, PublishDelivery delivery) {
  public static final PublisherConfig DEFAULT = new PublisherConfig(null, null);

  public PublisherConfig {
    delivery = delivery == null ? PublishDelivery.PERSISTENT : delivery;
  }

  public List<String> problems(String path) {
    List<String> problems = new ArrayList<>();
    if (session != null && session.isBlank()) {
      problems.add(path + ".session: must not be blank (leave it out to use the first session)");
    }
    return problems;
  }
}
