package dev.ldd.solace;

import static org.assertj.core.api.Assertions.assertThat;

import com.solacesystems.jcsmp.JCSMPChannelProperties;
import com.solacesystems.jcsmp.JCSMPProperties;
import dev.ldd.solace.config.ClientCertificateConfig;
import dev.ldd.solace.config.QueueConfig;
import dev.ldd.solace.config.RetryConfig;
import dev.ldd.solace.config.SessionConfig;
import dev.ldd.solace.config.TlsConfig;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SessionPropertiesTest {
  private static SessionConfig session(TlsConfig tls, ClientCertificateConfig cert, RetryConfig retries) {
    return new SessionConfig("eu", List.of("tcps://a:55443", "tcps://b:55443"), "vpn-eu", "ldd", "s3cret", null,
        tls, cert, retries, null, List.of(QueueConfig.named("orders")));
  }

  @Test
  void hostsFailOverInOrderAndTheClientIdentifiesTheDaemon() {
    JCSMPProperties p = SessionProperties.of(session(null, null, null), "ldd-7");

    assertThat(p.getStringProperty(JCSMPProperties.HOST)).isEqualTo("tcps://a:55443,tcps://b:55443");
    assertThat(p.getStringProperty(JCSMPProperties.VPN_NAME)).isEqualTo("vpn-eu");
    assertThat(p.getStringProperty(JCSMPProperties.USERNAME)).isEqualTo("ldd");
    assertThat(p.getStringProperty(JCSMPProperties.PASSWORD)).isEqualTo("s3cret");
    assertThat(p.getStringProperty(JCSMPProperties.CLIENT_NAME)).isEqualTo("ldd-7/eu");
    assertThat(p.getStringProperty(JCSMPProperties.APPLICATION_DESCRIPTION)).contains("ldd-7");
    assertThat(p.getIntegerProperty(JCSMPProperties.PUB_ACK_WINDOW_SIZE)).isEqualTo(100);
  }

  @Test
  void retriesDefaultHigherThanJcsmpsOwn() {
    JCSMPProperties p = SessionProperties.of(session(null, null, null), "ldd-1");
    JCSMPChannelProperties channel = (JCSMPChannelProperties) p.getProperty(JCSMPProperties.CLIENT_CHANNEL_PROPERTIES);

    assertThat(channel.getConnectRetries()).isEqualTo(5);
    assertThat(channel.getReconnectRetries()).isEqualTo(20);
    assertThat(channel.getReconnectRetryWaitInMillis()).isEqualTo(3000);
  }

  @Test
  void configuredRetriesArePassedOn() {
    JCSMPProperties p = SessionProperties.of(session(null, null, new RetryConfig(-1, 2, -1, Duration.ofSeconds(5))), "d");
    JCSMPChannelProperties channel = (JCSMPChannelProperties) p.getProperty(JCSMPProperties.CLIENT_CHANNEL_PROPERTIES);

    assertThat(channel.getConnectRetries()).isEqualTo(-1);
    assertThat(channel.getConnectRetriesPerHost()).isEqualTo(2);
    assertThat(channel.getReconnectRetries()).isEqualTo(-1);
    assertThat(channel.getReconnectRetryWaitInMillis()).isEqualTo(5000);
  }

  @Test
  void tlsAndClientCertificateSettingsArePassedOn() {
    TlsConfig tls = new TlsConfig("/etc/ldd/trust.jks", "tspw", "JKS", true, true);
    ClientCertificateConfig cert = new ClientCertificateConfig("/etc/ldd/client.p12", "kspw", "pkcs12", "ldd", "kpw");

    JCSMPProperties p = SessionProperties.of(session(tls, cert, null), "d");

    assertThat(p.getStringProperty(JCSMPProperties.SSL_TRUST_STORE)).isEqualTo("/etc/ldd/trust.jks");
    assertThat(p.getStringProperty(JCSMPProperties.SSL_TRUST_STORE_PASSWORD)).isEqualTo("tspw");
    assertThat(p.getStringProperty(JCSMPProperties.SSL_TRUST_STORE_FORMAT)).isEqualTo("jks");
    assertThat(p.getBooleanProperty(JCSMPProperties.SSL_VALIDATE_CERTIFICATE)).isTrue();
    assertThat(p.getBooleanProperty(JCSMPProperties.SSL_VALIDATE_CERTIFICATE_HOST)).isTrue();
    assertThat(p.getStringProperty(JCSMPProperties.AUTHENTICATION_SCHEME))
        .isEqualTo(JCSMPProperties.AUTHENTICATION_SCHEME_CLIENT_CERTIFICATE);
    assertThat(p.getStringProperty(JCSMPProperties.SSL_KEY_STORE)).isEqualTo("/etc/ldd/client.p12");
    assertThat(p.getStringProperty(JCSMPProperties.SSL_KEY_STORE_PASSWORD)).isEqualTo("kspw");
    assertThat(p.getStringProperty(JCSMPProperties.SSL_KEY_STORE_FORMAT)).isEqualTo("pkcs12");
    assertThat(p.getStringProperty(JCSMPProperties.SSL_PRIVATE_KEY_ALIAS)).isEqualTo("ldd");
    assertThat(p.getStringProperty(JCSMPProperties.SSL_PRIVATE_KEY_PASSWORD)).isEqualTo("kpw");
  }
}
