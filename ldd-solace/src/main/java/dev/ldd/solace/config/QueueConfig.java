package dev.ldd.solace.config;

import java.util.ArrayList;
import java.util.List;

/**
 * One queue to consume with its own guaranteed flow (client acknowledgement).
 *
 * @param name the queue's name on the broker (required)
 * @param window the flow's transport window, how many unacknowledged messages the broker may push
 *     (1..255); small windows balance better across daemons sharing a queue; default 64
 * @param activeFlowIndication ask for FLOW_ACTIVE/FLOW_INACTIVE events (exclusive queues); default true
 * @param settlement how {@code fail()} works; default {@link SettlementMode#SETTLE}
 * @param provision create the queue and its subscriptions when missing, or null to expect it to exist
 */
public record QueueConfig(
    String name, Integer window, Boolean activeFlowIndication, SettlementMode settlement, ProvisionConfig provision) {

  public static final int DEFAULT_WINDOW = 64;

  public QueueConfig {
    window = window == null ? DEFAULT_WINDOW : window;
    activeFlowIndication = activeFlowIndication == null ? Boolean.TRUE : activeFlowIndication;
    settlement = settlement == null ? SettlementMode.SETTLE : settlement;
  }

  /** A queue with every default, expected to exist. */
  public static QueueConfig named(String name) {
    return new QueueConfig(name, null, null, null, null);
  }

  public List<String> problems(String path) {
    List<String> problems = new ArrayList<>();
    if (Problems.blank(name)) {
      problems.add(path + ".name: is required");
    }
    Problems.range(problems, path + ".window", window, 1, 255);
    if (provision != null) {
      problems.addAll(provision.problems(path + ".provision"));
    }
    return problems;
  }
}
