package dev.ldd.solace.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One JCSMP session: a message VPN on a broker (or an HA pair / DR list of brokers), with the queues
 * consumed through it.
 *
 * @param name a name for logs, metrics and thread names, unique among sessions; default the VPN name
 * @param hosts broker URLs tried in order for fail-over, such as {@code tcps://broker-a:55443}
 *     ({@code tcp://}, {@code tcps://}, or a bare {@code host[:port]}); at least one
 * @param vpn the message VPN (required)
 * @param username the client username (required unless a client certificate is given)
 * @param password the client password (secret: masked in {@link #toString()}), or null
 * @param clientName the client name the broker shows; default {@code <daemon id>/<name>}. It must be
 *     unique on the VPN, so leave it to the default unless told otherwise.
 * @param tls TLS settings for {@code tcps://} hosts, or null for JCSMP's defaults
 * @param clientCertificate authenticate with a client certificate instead of a password, or null
 * @param retries JCSMP's connect and reconnect retries; default {@link RetryConfig#DEFAULT}
 * @param publishWindow how many persistent publishes may await the broker's confirmation (1..255);
 *     default 100
 * @param queues the queues to consume (at least one, unique names)
 */
public record SessionConfig(
    String name,
    List<String> hosts,
    String vpn,
    String username,
    String password,
    String clientName,
    TlsConfig tls,
    ClientCertificateConfig clientCertificate,
    RetryConfig retries,
    Integer publishWindow,
    List<QueueConfig> queues) {

  public static final int DEFAULT_PUBLISH_WINDOW = 100;

  public SessionConfig {
    name = Problems.blank(name) ? vpn : name;
    hosts = Problems.copy(hosts);
    retries = retries == null ? RetryConfig.DEFAULT : retries;
    publishWindow = publishWindow == null ? DEFAULT_PUBLISH_WINDOW : publishWindow;
    queues = Problems.copy(queues);
  }

  /** A plain-password session with every default. */
  public static SessionConfig of(String host, String vpn, String username, String password, List<QueueConfig> queues) {
    return new SessionConfig(null, List.of(host), vpn, username, password, null, null, null, null, null, queues);
  }

  public List<String> problems(String path) {
    List<String> problems = new ArrayList<>();
    if (hosts.isEmpty()) {
      problems.add(path + ".hosts: at least one host is required");
    }
    for (int i = 0; i < hosts.size(); i++) {
      String host = hosts.get(i);
      String hostPath = path + ".hosts[" + i + "]";
      if (Problems.blank(host)) {
        problems.add(hostPath + ": must not be blank");
      } else if (host.contains(",")) {
        problems.add(hostPath + ": list each host separately instead of separating them with commas");
      } else if (host.contains("://") && !isTcp(host) && !isTcps(host)) {
        problems.add(hostPath + ": must start with tcp:// or tcps://, was '" + host + "'");
      } else if (clientCertificate != null && !isTcps(host)) {
        problems.add(hostPath + ": client-certificate authentication needs a tcps:// host, was '" + host + "'");
      }
    }
    if (Problems.blank(vpn)) {
      problems.add(path + ".vpn: is required");
    }
    if (Problems.blank(username) && clientCertificate == null) {
      problems.add(path + ".username: is required unless clientCertificate is set");
    }
    if (clientName != null && clientName.isBlank()) {
      problems.add(path + ".clientName: must not be blank (leave it out for the default)");
    }
    if (tls != null) {
      problems.addAll(tls.problems(path + ".tls"));
    }
    if (clientCertificate != null) {
      problems.addAll(clientCertificate.problems(path + ".clientCertificate"));
    }
    problems.addAll(retries.problems(path + ".retries"));
    Problems.range(problems, path + ".publishWindow", publishWindow, 1, 255);
    if (queues.isEmpty()) {
      problems.add(path + ".queues: at least one queue is required");
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < queues.size(); i++) {
      QueueConfig q = queues.get(i);
      String queuePath = path + ".queues[" + i + "]";
      if (q == null) {
        problems.add(queuePath + ": must not be null");
        continue;
      }
      problems.addAll(q.problems(queuePath));
      if (q.name() != null && !names.add(q.name())) {
        problems.add(queuePath + ".name: queue '" + q.name() + "' is listed twice in this session");
      }
    }
    return problems;
  }

  private static boolean isTcp(String host) {
    return host.toLowerCase(Locale.ROOT).startsWith("tcp://");
  }

  private static boolean isTcps(String host) {
    return host.toLowerCase(Locale.ROOT).startsWith("tcps://");
  }

  @Override
  public String toString() {
    return "SessionConfig[name=" + name + ", hosts=" + hosts + ", vpn=" + vpn + ", username=" + username
        + ", password=" + Problems.mask(password) + ", clientName=" + clientName + ", tls=" + tls
        + ", clientCertificate=" + clientCertificate + ", retries=" + retries + ", publishWindow=" + publishWindow
        + ", queues=" + queues + "]";
  }
}
