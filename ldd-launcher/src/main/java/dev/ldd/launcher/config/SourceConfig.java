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
   * function publications and dead-letter copies go through.
   */
  record Solace(List<SolaceSession> sessions, SolacePublisher publisher) implements SourceConfig {
    public Solace {
      sessions = List.copyOf(sessions);
      if (sessions.isEmpty()) {
        throw new IllegalArgumentException("a Solace source needs at least one session");
      }
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
   * @param name names the session in logs and in {@link SolacePublisher#session}
   * @param hosts broker URLs, tried in order ({@code tcp://host:55555}, {@code tcps://host:55443})
   * @param vpn the message VPN
   * @param username client username
   * @param password client password, if the broker authenticates by password
   * @param clientName the client name; empty lets the broker choose one
   * @param tls TLS settings, when any host is {@code tcps://}
   * @param connectRetries connection attempts beyond the first (-1: forever)
   * @param reconnectRetries reconnection attempts after a connection loss (-1: forever)
   * @param reconnectRetryWait wait between reconnection attempts
   * @param queues the queues this session binds
   */
  record SolaceSession(
      String name,
      List<String> hosts,
      String vpn,
      String username,
      Optional<Secret> password,
      Optional<String> clientName,
      Optional<Tls> tls,
      int connectRetries,
      int reconnectRetries,
      Duration reconnectRetryWait,
      List<SolaceQueue> queues) {
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
      if (connectRetries < -1 || reconnectRetries < -1) {
        throw new IllegalArgumentException("retries must be >= -1 (-1: forever)");
      }
      requireNonNull(reconnectRetryWait, "reconnectRetryWait");
      queues = List.copyOf(queues);
    }
  }

  /**
   * TLS for a session.
   *
   * @param trustStore path of the trust store holding the broker's CA certificates
   * @param trustStorePassword its password
   * @param validateCertificate whether the broker's certificate is validated (true by default)
   * @param validateHost whether the broker's host name must match its certificate (true by default)
   * @param keyStore path of the key store with the client certificate, for client-certificate login
   * @param keyStorePassword its password
   */
  record Tls(
      Optional<String> trustStore,
      Optional<Secret> trustStorePassword,
      boolean validateCertificate,
      boolean validateHost,
      Optional<String> keyStore,
      Optional<Secret> keyStorePassword) {
    public Tls {
      requireNonNull(trustStore, "trustStore");
      requireNonNull(trustStorePassword, "trustStorePassword");
      requireNonNull(keyStore, "keyStore");
      requireNonNull(keyStorePassword, "keyStorePassword");
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
   * @param window the flow's window: messages delivered and not yet settled, 1..255
   * @param settlement how failed messages go back to the queue
   * @param activeFlowIndication whether the session reports when its flow becomes (in)active on an
   *     exclusive queue (hot standby)
   * @param provision when present, the daemon creates the queue if missing and adds these subscriptions
   */
  record SolaceQueue(
      String name, int window, SettlementMode settlement, boolean activeFlowIndication,
      Optional<Provision> provision) {
    public static final int DEFAULT_WINDOW = 255;

    public SolaceQueue {
      requireNonNull(name, "name");
      if (window < 1 || window > 255) {
        throw new IllegalArgumentException("window must be in 1..255, was " + window);
      }
      requireNonNull(settlement, "settlement");
      requireNonNull(provision, "provision");
    }
  }

  /** Queue provisioning: the topic subscriptions added to the queue. */
  record Provision(List<String> subscriptions) {
    public Provision {
      subscriptions = List.copyOf(subscriptions);
    }
  }

  /**
   * The publisher.
   *
   * @param session the session it publishes on (the first one by default)
   * @param window publications awaiting the broker's confirmation at most
   * @param direct whether it publishes direct (unconfirmed) messages rather than persistent ones
   */
  record SolacePublisher(String session, int window, boolean direct) {
    public static final int DEFAULT_WINDOW = 50;

    public SolacePublisher {
      requireNonNull(session, "session");
      if (window < 1 || window > 255) {
        throw new IllegalArgumentException("publisher window must be in 1..255, was " + window);
      }
    }
  }
}
