package dev.ldd.solace.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * JCSMP's own connection retries (its channel properties). JCSMP's defaults are low (3 reconnects), so
 * ours are higher: a broker fail-over or a short network outage should be ridden out without the
 * session going down for good.
 *
 * @param connect how many times the first connect retries the host list ({@code -1}: forever); default 5
 * @param connectPerHost how many times each host is retried before moving to the next; default 1
 * @param reconnect how many times a lost connection is retried ({@code -1}: forever); default 20
 * @param reconnectWait the pause between reconnect attempts (0..60 s); default 3 s
 */
public record RetryConfig(Integer connect, Integer connectPerHost, Integer reconnect, Duration reconnectWait) {
  public static final RetryConfig DEFAULT = new RetryConfig(null, null, null, null);

  public RetryConfig {
    connect = connect == null ? 5 : connect;
    connectPerHost = connectPerHost == null ? 1 : connectPerHost;
    reconnect = reconnect == null ? 20 : reconnect;
    reconnectWait = reconnectWait == null ? Duration.ofSeconds(3) : reconnectWait;
  }

  public List<String> problems(String path) {
    List<String> problems = new ArrayList<>();
    if (connect < -1) {
      problems.add(path + ".connect: must be >= -1 (-1 retries forever), was " + connect);
    }
    if (connectPerHost < 0) {
      problems.add(path + ".connectPerHost: must be >= 0, was " + connectPerHost);
    }
    if (reconnect < -1) {
      problems.add(path + ".reconnect: must be >= -1 (-1 retries forever), was " + reconnect);
    }
    if (reconnectWait.isNegative() || reconnectWait.compareTo(Duration.ofSeconds(60)) > 0) {
      problems.add(path + ".reconnectWait: must be in 0s..60s, was " + reconnectWait);
    }
    return problems;
  }
}
