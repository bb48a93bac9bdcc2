package dev.ldd.core.spi;

import static java.util.Objects.requireNonNull;

/** Where a started instance listens: a host (normally 127.0.0.1) and a TCP port. */
public record Endpoint(String host, int port) {
  public Endpoint {
    requireNonNull(host, "host");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be in 0..65535, was " + port);
    }
  }

  @Override
  public String toString() {
    return host + ":" + port;
  }
}
