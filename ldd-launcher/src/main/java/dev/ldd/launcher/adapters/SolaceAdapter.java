package dev.ldd.launcher.adapters;

import dev.ldd.core.time.SystemScheduler;
import dev.ldd.launcher.DaemonComponents.Bus;
import dev.ldd.launcher.config.Secret;
import dev.ldd.launcher.config.SourceConfig;
import dev.ldd.solace.SessionFactory;
import dev.ldd.solace.SolaceMessageSource;
import dev.ldd.solace.config.BackoffConfig;
import dev.ldd.solace.config.ClientCertificateConfig;
import dev.ldd.solace.config.ProvisionConfig;
import dev.ldd.solace.config.PublishDelivery;
import dev.ldd.solace.config.PublisherConfig;
import dev.ldd.solace.config.QueueConfig;
import dev.ldd.solace.config.RetryConfig;
import dev.ldd.solace.config.SessionConfig;
import dev.ldd.solace.config.SettlementMode;
import dev.ldd.solace.config.SolaceSourceConfig;
import dev.ldd.solace.config.TlsConfig;
import java.util.Optional;

/** The launcher's {@code source: { type: solace }} on ldd-solace: one constructor per record. */
public final class SolaceAdapter {
  private SolaceAdapter() {}

  /** The ldd-solace configuration the launcher's Solace section describes. */
  public static SolaceSourceConfig toSolaceConfig(SourceConfig.Solace c) {
    return new SolaceSourceConfig(
        c.sessions().stream().map(SolaceAdapter::session).toList(),
        backoff(c.rebuildBackoff()),
        backoff(c.rebindBackoff()),
        new PublisherConfig(c.publisher().session().orElse(null),
            c.publisher().delivery() == SourceConfig.PublishDelivery.DIRECT
                ? PublishDelivery.DIRECT : PublishDelivery.PERSISTENT));
  }

  /** Opens the Solace source; its publisher carries the functions' publications and dead letters. */
  public static Bus open(SourceConfig.Solace config, String daemonId) {
    SolaceSourceConfig solace = toSolaceConfig(config);
    SystemScheduler scheduler = new SystemScheduler();
    SolaceMessageSource source = new SolaceMessageSource(daemonId, solace, SessionFactory.jcsmp(), scheduler);
    return new Bus(source, source.publisher(), Optional.empty(), scheduler::close);
  }

  private static SessionConfig session(SourceConfig.SolaceSession s) {
    return new SessionConfig(
        s.name(),
        s.hosts(),
        s.vpn(),
        s.username().orElse(null),
        reveal(s.password()),
        s.clientName().orElse(null),
        s.tls().map(t -> new TlsConfig(t.trustStore().orElse(null), reveal(t.trustStorePassword()),
            t.trustStoreFormat().orElse(null), t.validateCertificate(), t.validateHost())).orElse(null),
        s.clientCertificate().map(k -> new ClientCertificateConfig(k.keyStore(), reveal(k.keyStorePassword()),
            k.keyStoreFormat().orElse(null), k.privateKeyAlias().orElse(null), reveal(k.privateKeyPassword())))
            .orElse(null),
        new RetryConfig(s.retries().connect(), s.retries().connectPerHost(), s.retries().reconnect(),
            s.retries().reconnectWait()),
        s.publishWindow(),
        s.queues().stream().map(SolaceAdapter::queue).toList());
  }

  private static QueueConfig queue(SourceConfig.SolaceQueue q) {
    return new QueueConfig(q.name(), q.window(), q.activeFlowIndication(),
        q.settlement() == SourceConfig.SettlementMode.REBIND ? SettlementMode.REBIND : SettlementMode.SETTLE,
        q.provision().map(p -> new ProvisionConfig(p.exclusive(), p.subscriptions(), p.maxRedelivery()))
            .orElse(null));
  }

  private static BackoffConfig backoff(SourceConfig.Backoff b) {
    return new BackoffConfig(b.initial(), b.max(), b.multiplier());
  }

  private static String reveal(Optional<Secret> secret) {
    return secret.map(Secret::reveal).orElse(null);
  }
}
