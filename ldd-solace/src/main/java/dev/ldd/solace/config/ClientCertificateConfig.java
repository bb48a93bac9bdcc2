package dev.ldd.solace.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Client-certificate authentication (needs {@code tcps://} hosts). When set, the session authenticates
 * with the certificate instead of a password.
 *
 * @param keyStore path of the key store holding the client's certificate and private key (required)
 * @param keyStorePassword its password (secret)
 * @param keyStoreFormat {@code jks} or {@code pkcs12}; null leaves JCSMP's default
 * @param privateKeyAlias the alias of the key to use when the store holds several, or null
 * @param privateKeyPassword the key's password when it differs from the store's (secret), or null
 */
public record ClientCertificateConfig(
    String keyStore,
    String keyStorePassword,
    String keyStoreFormat,
    String privateKeyAlias,
    String privateKeyPassword) {

  public List<String> problems(String path) {
    List<String> problems = new ArrayList<>();
    if (Problems.blank(keyStore)) {
      problems.add(path + ".keyStore: is required for client-certificate authentication");
    }
    if (keyStoreFormat != null && !TlsConfig.STORE_FORMATS.contains(keyStoreFormat.toLowerCase())) {
      problems.add(path + ".keyStoreFormat: must be one of " + TlsConfig.STORE_FORMATS + ", was '" + keyStoreFormat + "'");
    }
    return problems;
  }

  @Override
  public String toString() {
    return "ClientCertificateConfig[keyStore=" + keyStore + ", keyStorePassword=" + Problems.mask(keyStorePassword)
        + ", keyStoreFormat=" + keyStoreFormat + ", privateKeyAlias=" + privateKeyAlias
        + ", privateKeyPassword=" + Problems.mask(privateKeyPassword) + "]";
  }
}
