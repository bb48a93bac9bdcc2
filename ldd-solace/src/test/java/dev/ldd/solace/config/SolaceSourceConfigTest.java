package dev.ldd.solace.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ldd.core.ConfigException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SolaceSourceConfigTest {
  private static SessionConfig session(String name, String vpn, List<QueueConfig> queues) {
    return new SessionConfig(name, List.of("tcp://broker:55555"), vpn, "ldd", "pw", null, null, null, null, null, queues);
  }

  @Test
  void defaultsAreFilledIn() {
    SolaceSourceConfig c = SolaceSourceConfig.of(session(null, "vpn1", List.of(QueueConfig.named("orders")))).validate();

    SessionConfig s = c.sessions().get(0);
    assertThat(s.name()).isEqualTo("vpn1");
    assertThat(s.publishWindow()).isEqualTo(100);
    assertThat(s.retries()).isEqualTo(new RetryConfig(5, 1, 20, Duration.ofSeconds(3)));
    QueueConfig q = s.queues().get(0);
    assertThat(q.window()).isEqualTo(64);
    assertThat(q.activeFlowIndication()).isTrue();
    assertThat(q.settlement()).isEqualTo(SettlementMode.SETTLE);
    assertThat(q.provision()).isNull();
    assertThat(c.rebuildBackoff()).isEqualTo(BackoffConfig.REBUILD);
    assertThat(c.rebindBackoff()).isEqualTo(BackoffConfig.REBIND);
    assertThat(c.publisher().delivery()).isEqualTo(PublishDelivery.PERSISTENT);
    assertThat(c.publisherSession()).contains(s);
  }

  @Test
  void validationErrorsNameThePath() {
    QueueConfig badWindow = new QueueConfig("orders", 0, null, null, null);
    QueueConfig bigWindow = new QueueConfig("payments", 300, null, null,
        new ProvisionConfig(null, Arrays.asList("a/>", " "), 256));
    SessionConfig s = new SessionConfig("eu", List.of("http://broker:80"), " ", null, null, null,
        new TlsConfig(null, null, "pem", false, true), null, new RetryConfig(-2, null, null, Duration.ofMinutes(2)), 0,
        List.of(badWindow, bigWindow, QueueConfig.named("orders")));
    SolaceSourceConfig c = new SolaceSourceConfig(List.of(s), new BackoffConfig(Duration.ZERO, null, 0.5), null,
        new PublisherConfig("us", null));

    assertThatThrownBy(c::validate)
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
            "source.sessions[0].hosts[0]: must start with tcp:// or tcps://, was 'http://broker:80'",
            "source.sessions[0].vpn: is required",
            "source.sessions[0].username: is required unless clientCertificate is set",
            "source.sessions[0].tls.trustStoreFormat: must be one of [jks, pkcs12], was 'pem'",
            "source.sessions[0].tls.validateHost: needs validateCertificate: true",
            "source.sessions[0].retries.connect: must be >= -1 (-1 retries forever), was -2",
            "source.sessions[0].retries.reconnectWait: must be in 0s..60s, was PT2M",
            "source.sessions[0].publishWindow: must be in 1..255, was 0",
            "source.sessions[0].queues[0].window: must be in 1..255, was 0",
            "source.sessions[0].queues[1].window: must be in 1..255, was 300",
            "source.sessions[0].queues[1].provision.subscriptions[1]: must not be blank",
            "source.sessions[0].queues[1].provision.maxRedelivery: must be in 0..255, was 256",
            "source.sessions[0].queues[2].name: queue 'orders' is listed twice in this session",
            "source.rebuildBackoff.initial: must be positive, was PT0S",
            "source.rebuildBackoff.multiplier: must be >= 1, was 0.5",
            "source.publisher.session: no session is named 'us'; known: [eu]"));
  }

  @Test
  void emptySourceAndDuplicateSessionNamesAreReported() {
    assertThat(new SolaceSourceConfig(null, null, null, null).problems("source"))
        .containsExactly("source.sessions: at least one session is required");

    SessionConfig a = session("eu", "vpn1", List.of(QueueConfig.named("q")));
    SessionConfig b = session("eu", "vpn2", List.of());
    assertThat(SolaceSourceConfig.of(a, b).problems("solace")).containsExactly(
        "solace.sessions[1].queues: at least one queue is required",
        "solace.sessions[1].name: session name 'eu' is used twice; give each session (one per message VPN) its own name");
  }

  @Test
  void clientCertificateNeedsTlsHostsAndAKeyStoreButNoUsername() {
    SessionConfig s = new SessionConfig("eu", List.of("tcp://broker:55555"), "vpn", null, null, null, null,
        new ClientCertificateConfig(null, null, null, null, null), null, null, List.of(QueueConfig.named("q")));

    assertThat(s.problems("s")).containsExactly(
        "s.hosts[0]: client-certificate authentication needs a tcps:// host, was 'tcp://broker:55555'",
        "s.clientCertificate.keyStore: is required for client-certificate authentication");
  }

  @Test
  void secretsAreMaskedInToString() {
    SessionConfig s = new SessionConfig("eu", List.of("tcps://broker:55443"), "vpn", "ldd", "hunter2", null,
        new TlsConfig("/trust.jks", "trust-pw", null, null, null),
        new ClientCertificateConfig("/client.p12", "store-pw", null, null, "key-pw"), null, null,
        List.of(QueueConfig.named("q")));
    String printed = SolaceSourceConfig.of(s).toString();

    assertThat(printed).doesNotContain("hunter2", "trust-pw", "store-pw", "key-pw")
        .contains("password=****", "trustStorePassword=****", "keyStorePassword=****", "privateKeyPassword=****",
            "username=ldd", "/trust.jks");
  }
}
