package dev.ldd.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import java.time.Duration;

/**
 * Makes docker-java clients on the zerodep transport. Control calls and streams get separate clients:
 * an open stream holds a pooled connection for as long as it runs, and a stream can be silent for
 * minutes, so it must have no response timeout while control calls must.
 */
public final class DockerClients {
  private DockerClients() {}

  /** A client for short calls: each fails when the engine stays silent longer than the control timeout. */
  public static DockerClient control(DockerRuntimeConfig config) {
    return create(config, config.maxControlConnections(), config.controlTimeout());
  }

  /** A client for long-lived streams (events, build output): no response timeout. */
  public static DockerClient streaming(DockerRuntimeConfig config) {
    return create(config, 4, null);
  }

  private static DockerClient create(DockerRuntimeConfig config, int maxConnections, Duration responseTimeout) {
    DockerClientConfig cfg = DefaultDockerClientConfig.createDefaultConfigBuilder()
        .withDockerHost(config.dockerHost().toString())
        .build();
    ZerodepDockerHttpClient.Builder http = new ZerodepDockerHttpClient.Builder()
        .dockerHost(cfg.getDockerHost())
        .sslConfig(cfg.getSSLConfig())
        .maxConnections(maxConnections)
        .connectionTimeout(config.connectTimeout());
    if (responseTimeout != null) {
      http.responseTimeout(responseTimeout);
    }
    return DockerClientImpl.getInstance(cfg, http.build());
  }
}
