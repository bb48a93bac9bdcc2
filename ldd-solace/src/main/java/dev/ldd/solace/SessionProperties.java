package dev.ldd.solace;

import com.solacesystems.jcsmp.JCSMPChannelProperties;
import com.solacesystems.jcsmp.JCSMPProperties;
import dev.ldd.solace.config.ClientCertificateConfig;
import dev.ldd.solace.config.RetryConfig;
import dev.ldd.solace.config.SessionConfig;
import dev.ldd.solace.config.TlsConfig;

/** Maps a {@link SessionConfig} to JCSMP session properties. Never log the result: it holds passwords. */
final class SessionProperties {
  private SessionProperties() {}

  static String clientName(SessionConfig config, String daemonId) {
    return config.clientName() != null ? config.clientName() : daemonId + "/" + config.name();
  }

  static JCSMPProperties of(SessionConfig config, String daemonId) {
    JCSMPProperties p = new JCSMPProperties();
    p.setProperty(JCSMPProperties.HOST, String.join(",", config.hosts()));
    p.setProperty(JCSMPProperties.VPN_NAME, config.vpn());
    if (config.username() != null) {
      p.setProperty(JCSMPProperties.USERNAME, config.username());
    }
    if (config.password() != null) {
      p.setProperty(JCSMPProperties.PASSWORD, config.password());
    }
    p.setProperty(JCSMPProperties.CLIENT_NAME, clientName(config, daemonId));
    p.setProperty(JCSMPProperties.APPLICATION_DESCRIPTION, "LDD lambda dispatch daemon " + daemonId);
    p.setProperty(JCSMPProperties.PUB_ACK_WINDOW_SIZE, config.publishWindow());
    // Provisioning re-adds subscriptions on every start; an existing one is not an error.
    p.setProperty(JCSMPProperties.IGNORE_DUPLICATE_SUBSCRIPTION_ERROR, true);

    RetryConfig r = config.retries();
    JCSMPChannelProperties channel = (JCSMPChannelProperties) p.getProperty(JCSMPProperties.CLIENT_CHANNEL_PROPERTIES);
    channel.setConnectRetries(r.connect());
    channel.setConnectRetriesPerHost(r.connectPerHost());
    channel.setReconnectRetries(r.reconnect());
    channel.setReconnectRetryWaitInMillis((int) r.reconnectWait().toMillis());

    TlsConfig tls = config.tls();
    if (tls != null) {
      if (tls.trustStore() != null) {
        p.setProperty(JCSMPProperties.SSL_TRUST_STORE, tls.trustStore());
      }
      if (tls.trustStorePassword() != null) {
        p.setProperty(JCSMPProperties.SSL_TRUST_STORE_PASSWORD, tls.trustStorePassword());
      }
      if (tls.trustStoreFormat() != null) {
        p.setProperty(JCSMPProperties.SSL_TRUST_STORE_FORMAT, tls.trustStoreFormat().toLowerCase());
      }
      p.setProperty(JCSMPProperties.SSL_VALIDATE_CERTIFICATE, tls.validateCertificate());
      p.setProperty(JCSMPProperties.SSL_VALIDATE_CERTIFICATE_HOST, tls.validateHost());
    }
    ClientCertificateConfig cert = config.clientCertificate();
    if (cert != null) {
      p.setProperty(JCSMPProperties.AUTHENTICATION_SCHEME, JCSMPProperties.AUTHENTICATION_SCHEME_CLIENT_CERTIFICATE);
      p.setProperty(JCSMPProperties.SSL_KEY_STORE, cert.keyStore());
      if (cert.keyStorePassword() != null) {
        p.setProperty(JCSMPProperties.SSL_KEY_STORE_PASSWORD, cert.keyStorePassword());
      }
      if (cert.keyStoreFormat() != null) {
        p.setProperty(JCSMPProperties.SSL_KEY_STORE_FORMAT, cert.keyStoreFormat().toLowerCase());
      }
      if (cert.privateKeyAlias() != null) {
        p.setProperty(JCSMPProperties.SSL_PRIVATE_KEY_ALIAS, cert.privateKeyAlias());
      }
      if (cert.privateKeyPassword() != null) {
        p.setProperty(JCSMPProperties.SSL_PRIVATE_KEY_PASSWORD, cert.privateKeyPassword());
      }
    }
    return p;
  }
}
