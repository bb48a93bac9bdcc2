package dev.ldd.core.spi;

import static java.util.Objects.requireNonNull;

/**
 * What a function's wrapper announced in its ready handshake.
 *
 * @param protocolVersion the wire protocol version it speaks, such as {@code 1.0}
 * @param function the function name it serves
 * @param maxConcurrency how many invocations it accepts at once (at least 1)
 * @param runtimeInfo free text about the wrapper (language, version)
 */
public record ReadyInfo(String protocolVersion, String function, int maxConcurrency, String runtimeInfo) {
  public ReadyInfo {
    requireNonNull(protocolVersion, "protocolVersion");
    requireNonNull(function, "function");
    if (maxConcurrency < 1) {
      throw new IllegalArgumentException("maxConcurrency must be >= 1, was " + maxConcurrency);
    }
    runtimeInfo = runtimeInfo == null ? "" : runtimeInfo;
  }
}
