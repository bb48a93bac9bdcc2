package dev.ldd.launcher.config;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Where messages come from: the in-memory {@link Embedded} broker (development, tests, demos) or
 * {@link Solace} PubSub+. The Solace records carry exactly what the Solace adapter needs, so mapping them
 * to its own configuration is one small function.
 */
public sealed interface SourceConfig {
  /** The names of every queue the source consumes, in declaration order. */
  List<String> queueNames();

  /** The in-memory broker of ldd-core. */
  record Embedded(List<EmbeddedQueue> queues) implements SourceConfig {
    public Embedded {
      queues = List.copyOf(queues);
    }

    @Override
    public List<String> queueNames() {
      return queues.stream().map(EmbeddedQueue::name).toList();
    }
  }

  /**
   * A queue of the embedded broker.
   *
   * @param name the queue name routes refer to
   * @param subscriptions topic subscriptions whose messages the queue receives
   * @param maxRedeliveries redeliveries after the first delivery, after which the broker moves a failed
   *     message to its dead-message list (0: no bound)
   */
  record EmbeddedQueue(String name, List<String> subscriptions, int maxRedeliveries) {
    public static final int DEFAULT_MAX_REDELIVERIES = 10;

    public EmbeddedQueue {
      requireNonNull(name, "name");
      subscriptions = List.copyOf(subscriptions);
      if (maxRedeliveries < 0) {
        throw new IllegalArgumentException("maxRedeliveries must be >= 0, was " + maxRedeliveries);
      }
    }
  }

  /**
   * Solace PubSub+: one session per message VPN, each with the queues it binds, and the publisher that
   * function publications and dead-letter copies go through. The shape and defaults are those of
   * ldd-solace's {@code SolaceSourceConfig}, component for component, so mapping is one constructor
   * call per record; ldd-solace's own {@code validate()} then adds its domain checks under the same paths.
   *
   * @param rebuildBackoff the wait before a failed session or flow is rebuilt
   * @param rebindBackoff the wait before a flow is bound again in {@link SettlementMode#REBIND} mode
   */
  record Solace(List<SolaceSession> sessions, Backoff rebuildBackoff, Backoff rebindBackoff,
      SolacePublisher publisher) implements SourceConfig {
    public static final Backoff DEFAULT_REBUILD = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), 2.0);
    public static final Backoff DEFAULT_REBIND = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), 2.0);

    public Solace {
      sessions = List.copyOf(sessions);
      if (sessions.isEmpty()) {
        throw new IllegalArgumentException("a Solace source needs at least one session");
      }
      requireNonNull(rebuildBackoff, "rebuildBackoff");
      requireNonNull(rebindBackoff, "rebindBackoff");
      requireNonNull(publisher, "publisher");
    }

    @Override
    public List<String> queueNames() {
      return sessions.stream().flatMap(s -> s.queues().stream()).map(SolaceQueue::name).toList();
    }
  }

  /**
   * A JCSMP session to one message VPN.
   *
   * @param name names the session in logs and in {@link SolacePublisher#session}; default the VPN
   * @param hosts broker URLs, tried in order ({@code tcp://host:55555}, {@code tcps://host:55443})
   * @param vpn the message VPN
   * @param username client username; empty only with a client certificate
   * @param password client password
   * @param clientName the client name; empty for ldd-solace's default {@code <daemon id>/<name>}
   * @param tls TLS settings for {@code tcps://} hosts
   * @param clientCertificate client-certificate authentication instead of a password
   * @param retries JCSMP's connect and reconnect retries
   * @param publishWindow persistent publishes awaiting the broker's confirmation at most, 1..255
   * @param queues the queues this session binds
   */
  record SolaceSession(
      String name,
      List<String> hosts,
      String vpn,
      Optional<String> username,
      Optional<Secret> password,
      Optional<String> clientName,
      Optional<Tls> tls,
      Optional<ClientCertificate> clientCertificate,
      Retries retries,
      int publishWindow,
      List<SolaceQueue> queues) {
    public static final int DEFAULT_PUBLISH_WINDOW = 100;

    public SolaceSession {
      requireNonNull(name, "name");
      hosts = List.copyOf(hosts);
      if (hosts.isEmpty()) {
        throw new IllegalArgumentException("session '" + name + "' needs at least one host");
      }
      requireNonNull(vpn, "vpn");
      requireNonNull(username, "username");
      requireNonNull(password, "password");
      requireNonNull(clientName, "clientName");
      requireNonNull(tls, "tls");
      requireNonNull(clientCertificate, "clientCertificate");
      requireNonNull(retries, "retries");
      if (publishWindow < 1 || publishWindow > 255) {
        throw new IllegalArgumentException("publishWindow must be in 1..255, was " + publishWindow);
      }
      queues = List.copyOf(queues);
    }
  }

  /**
   * TLS for a session.
   *
   * @param trustStore path of the trust store holding the broker's CA certificates; empty for JCSMP's
   * @param trustStorePassword its password
   * @param trustStoreFormat {@code jks} or {@code pkcs12}; empty for JCSMP's default
   * @param validateCertificate whether the broker's certificate is validated (true by default)
   * @param validateHost whether the broker's host name must match its certificate (true by default)
   */
  record Tls(
      Optional<String> trustStore,
      Optional<Secret> trustStorePassword,
      Optional<String> trustStoreFormat,
      boolean validateCertificate,
      boolean validateHost) {
    public Tls {
      requireNonNull(trustStore, "trustStore");
      requireNonNull(trustStorePassword, "trustStorePassword");
      requireNonNull(trustStoreFormat, "trustStoreFormat");
    }
  }

  /** Client-certificate authentication: a key store with the client's certificate and key. */
  record ClientCertificate(
      String keyStore,
      Optional<Secret> keyStorePassword,
      Optional<String> keyStoreFormat,
      Optional<String> privateKeyAlias,
      Optional<Secret> privateKeyPassword) {
    public ClientCertificate {
      requireNonNull(keyStore, "keyStore");
      requireNonNull(keyStorePassword, "keyStorePassword");
      requireNonNull(keyStoreFormat, "keyStoreFormat");
      requireNonNull(privateKeyAlias, "privateKeyAlias");
      requireNonNull(privateKeyPassword, "privateKeyPassword");
    }
  }

  /**
   * JCSMP's retries.
   *
   * @param connect connection attempts beyond the first (-1: forever), 5 by default
   * @param connectPerHost attempts per host in each round, 1 by default
   * @param reconnect reconnection attempts after a connection loss (-1: forever), 20 by default
   * @param reconnectWait wait between reconnection attempts, 0s..60s, 3s by default
   */
  record Retries(int connect, int connectPerHost, int reconnect, Duration reconnectWait) {
    public static final Retries DEFAULT = new Retries(5, 1, 20, Duration.ofSeconds(3));

    public Retries {
      requireNonNull(reconnectWait, "reconnectWait");
    }
  }

  /** An exponential back-off: {@code initial}, times {@code multiplier} each time, at most {@code max}. */
  record Backoff(Duration initial, Duration max, double multiplier) {
    public Backoff {
      requireNonNull(initial, "initial");
      requireNonNull(max, "max");
    }
  }

  /** How {@code fail()} returns a message to a Solace queue. */
  enum SettlementMode {
    /** Settle the message as FAILED (the broker redelivers it and counts the delivery). */
    SETTLE,
    /** Close and rebind the flow (brokers without negative acknowledgements). */
    REBIND
  }

  /**
   * A queue a session binds.
   *
   * @param name the queue name routes refer to
   * @param window the flow's transport window, 1..255 (64 by default)
   * @param activeFlowIndication whether the session reports when its flow becomes (in)active on an
   *     exclusive queue (hot standby); true by default
   * @param settlement how failed messages go back to the queue
   * @param provision when present, the queue is created if missing and given these subscriptions
   */
  record SolaceQueue(
      String name, int window, boolean activeFlowIndication, SettlementMode settlement,
      Optional<Provision> provision) {
    public static final int DEFAULT_WINDOW = 64;

    public SolaceQueue {
      requireNonNull(name, "name");
      if (window < 1 || window > 255) {
        throw new IllegalArgumentException("window must be in 1..255, was " + window);
      }
      requireNonNull(settlement, "settlement");
      requireNonNull(provision, "provision");
    }
  }

  /**
   * Queue provisioning.
   *
   * @param exclusive whether a created queue is exclusive (false by default)
   * @param subscriptions the topic subscriptions added to the queue
   * @param maxRedelivery the created queue's max-redelivery, 0..255 (0: no bound)
   */
  record Provision(boolean exclusive, List<String> subscriptions, int maxRedelivery) {
    public Provision {
      subscriptions = List.copyOf(subscriptions);
    }
  }

  /** Persistent (confirmed by the broker) or direct publishing. */
  enum PublishDelivery {
    PERSISTENT,
    DIRECT
  }

  /**
   * The publisher.
   *
   * @param session the session it publishes on; empty for the first one
   * @param delivery persistent (the default) or direct
   */
  record SolacePublisher(Optional<String> session, PublishDelivery delivery) {
    public static final SolacePublisher DEFAULT = new SolacePublisher(Optional.empty(), PublishDelivery.PERSISTENT);

    public SolacePublisher {
      requireNonNull(session, "session");
      requireNonNull(delivery, "delivery");
    }
  }
}
