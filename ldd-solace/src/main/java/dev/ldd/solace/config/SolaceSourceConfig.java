package dev.ldd.solace.config;

import dev.ldd.core.ConfigException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The Solace message source: one session per message VPN, each with its queues.
 *
 * @param sessions the sessions (at least one, unique names)
 * @param rebuildBackoff the back-off between attempts to rebuild a session that went down for good or
 *     a flow that failed; default {@link BackoffConfig#REBUILD}
 * @param rebindBackoff the back-off between rebinds of a flow in {@link SettlementMode#REBIND};
 *     default {@link BackoffConfig#REBIND}
 * @param publisher where function publications go; default {@link PublisherConfig#DEFAULT}
 */
public record SolaceSourceConfig(
    List<SessionConfig> sessions, BackoffConfig rebuildBackoff, BackoffConfig rebindBackoff, PublisherConfig publisher) {

  public SolaceSourceConfig {
    sessions = Problems.copy(sessions);
    rebuildBackoff = rebuildBackoff == null ? BackoffConfig.REBUILD : rebuildBackoff;
    rebindBackoff = rebindBackoff == null ? BackoffConfig.REBIND : rebindBackoff;
    publisher = publisher == null ? PublisherConfig.DEFAULT : publisher;
  }

  public static SolaceSourceConfig of(SessionConfig... sessions) {
    return new SolaceSourceConfig(List.of(sessions), null, null, null);
  }

  /** Every problem, each prefixed with {@code path} (the launcher passes {@code source}). */
  public List<String> problems(String path) {
    List<String> problems = new ArrayList<>();
    if (sessions.isEmpty()) {
      problems.add(path + ".sessions: at least one session is required");
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < sessions.size(); i++) {
      SessionConfig s = sessions.get(i);
      String sessionPath = path + ".sessions[" + i + "]";
      if (s == null) {
        problems.add(sessionPath + ": must not be null");
        continue;
      }
      problems.addAll(s.problems(sessionPath));
      if (s.name() != null && !names.add(s.name())) {
        problems.add(sessionPath + ".name: session name '" + s.name()
            + "' is used twice; give each session (one per message VPN) its own name");
      }
    }
    problems.addAll(rebuildBackoff.problems(path + ".rebuildBackoff"));
    problems.addAll(rebindBackoff.problems(path + ".rebindBackoff"));
    problems.addAll(publisher.problems(path + ".publisher"));
    if (publisher.session() != null && !publisher.session().isBlank() && !names.contains(publisher.session())) {
      problems.add(path + ".publisher.session: no session is named '" + publisher.session() + "'; known: " + names);
    }
    return problems;
  }

  /** Returns this config if it is valid; otherwise throws every problem, paths starting at {@code source}. */
  public SolaceSourceConfig validate() {
    List<String> problems = problems("source");
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return this;
  }

  /** The session the publisher uses: the named one, or the first. */
  public Optional<SessionConfig> publisherSession() {
    return sessions.stream()
        .filter(s -> s != null && (publisher.session() == null || publisher.session().equals(s.name())))
        .findFirst();
  }
}
