package dev.ldd.solace.config;

import java.util.ArrayList;
import java.util.List;

/**
 * TLS for {@code tcps://} hosts.
 *
 * @param trustStore path of the trust store holding the broker's CA; null uses JCSMP's default
 * @param trustStorePassword its password (a secret: masked in {@link #toString()})
 * @param trustStoreFormat {@code jks} or {@code pkcs12}; null leaves JCSMP's default
 * @param validateCertificate whether the broker's certificate is checked; default true
 * @param validateHost whether the certificate must name the host connected to; default true
 */
public record TlsConfig(
    String trustStore,
    String trustStorePassword,
    String trustStoreFormat,
    Boolean validateCertificate,
    Boolean validateHost) {

  static final List<String> STORE_FORMATS = List.of("jks", "pkcs12");

  public TlsConfig {
    validateCertificate = validateCertificate == null ? Boolean.TRUE : validateCertificate;
    validateHost = validateHost == null ? Boolean.TRUE : validateHost;
  }

  public List<String> problems(String path) {
    List<String> problems = new ArrayList<>();
    if (trustStore != null && trustStore.isBlank()) {
      problems.add(path + ".trustStore: must not be blank");
    }
    if (trustStoreFormat != null && !STORE_FORMATS.contains(trustStoreFormat.toLowerCase())) {
      problems.add(path + ".trustStoreFormat: must be one of " + STORE_FORMATS + ", was '" + trustStoreFormat + "'");
    }
    if (validateHost && !validateCertificate) {
      problems.add(path + ".validateHost: needs validateCertificate: true");
    }
    return problems;
  }

  @Override
  public String toString() {
    return "TlsConfig[trustStore=" + trustStore + ", trustStorePassword=" + Problems.mask(trustStorePassword)
        + ", trustStoreFormat=" + trustStoreFormat + ", validateCertificate=" + validateCertificate
        + ", validateHost=" + validateHost + "]";
  }
}
