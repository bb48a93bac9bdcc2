package dev.ldd.launcher;

import static java.util.Objects.requireNonNull;

import dev.ldd.core.embedded.InMemoryBroker;
import dev.ldd.core.spi.ContainerRuntime;
import dev.ldd.core.spi.FunctionTransport;
import dev.ldd.core.spi.MessagePublisher;
import dev.ldd.core.spi.MessageSource;
import dev.ldd.launcher.adapters.DockerAdapter;
import dev.ldd.launcher.adapters.SolaceAdapter;
import dev.ldd.launcher.config.RuntimeConfig;
import dev.ldd.launcher.config.SourceConfig;
import dev.ldd.launcher.process.ProcessContainerRuntime;
import dev.ldd.launcher.process.ProcessRuntimeOptions;
import dev.ldd.wire.transport.TcpFunctionTransport;
import java.util.Optional;

/**
 * The seams where adapters plug into the {@link Daemon}: a factory each for the bus, the container
 * runtime and the function transport, from their part of the config. {@link #builtIn()} has what this
 * build includes; an embedding service or a test replaces a factory with {@code with...}.
 *
 * <p>Factories are called once, on the thread that creates the daemon, and may block while connecting.
 * They throw {@link NotInThisBuildException} for a config variant this build cannot serve.
 */
public record DaemonComponents(SourceFactory sources, RuntimeFactory runtimes, TransportFactory transports) {
  public DaemonComponents {
    requireNonNull(sources, "sources");
    requireNonNull(runtimes, "runtimes");
    requireNonNull(transports, "transports");
  }

  /** Opens the bus the config's {@code source} describes. */
  @FunctionalInterface
  public interface SourceFactory {
    Bus open(SourceConfig config, String daemonId);
  }

  /** Creates the runtime the config's {@code runtime} describes. */
  @FunctionalInterface
  public interface RuntimeFactory {
    ContainerRuntime create(RuntimeConfig config, String daemonId);
  }

  /** Creates the transport to function instances. */
  @FunctionalInterface
  public interface TransportFactory {
    FunctionTransport create();
  }

  /**
   * An open bus: where messages come from, where publications go, and, for the embedded broker only,
   * the publisher the admin endpoint's {@code POST /v1/publish} uses.
   *
   * @param close releases the bus client (after the source has been closed by the engine)
   */
  public record Bus(MessageSource source, MessagePublisher publisher, Optional<MessagePublisher> adminPublisher,
      Runnable close) {
    public Bus {
      requireNonNull(source, "source");
      requireNonNull(publisher, "publisher");
      requireNonNull(adminPublisher, "adminPublisher");
      requireNonNull(close, "close");
    }
  }

  /**
   * Everything this build includes: the embedded broker and Solace; the process and Docker runtimes;
   * the TCP transport.
   */
  public static DaemonComponents builtIn() {
    return new DaemonComponents(DaemonComponents::openBuiltInSource, DaemonComponents::createBuiltInRuntime,
        TcpFunctionTransport::create);
  }

  public DaemonComponents withSources(SourceFactory sources) {
    return new DaemonComponents(sources, runtimes, transports);
  }

  public DaemonComponents withRuntimes(RuntimeFactory runtimes) {
    return new DaemonComponents(sources, runtimes, transports);
  }

  public DaemonComponents withTransports(TransportFactory transports) {
    return new DaemonComponents(sources, runtimes, transports);
  }

  /** The embedded broker with the config's queues. */
  public static Bus embedded(SourceConfig.Embedded config) {
    InMemoryBroker broker = new InMemoryBroker();
    for (SourceConfig.EmbeddedQueue q : config.queues()) {
      broker.createQueue(q.name(), q.subscriptions(), q.maxRedeliveries());
    }
    return new Bus(broker.source(config.queueNames().toArray(String[]::new)), broker, Optional.of(broker),
        broker::close);
  }

  private static Bus openBuiltInSource(SourceConfig config, String daemonId) {
    if (config instanceof SourceConfig.Embedded embedded) {
      return embedded(embedded);
    }
    return SolaceAdapter.open((SourceConfig.Solace) config, daemonId);
  }

  private static ContainerRuntime createBuiltInRuntime(RuntimeConfig config, String daemonId) {
    if (config instanceof RuntimeConfig.Process process) {
      return new ProcessContainerRuntime(ProcessRuntimeOptions.defaults().withJava(process.java())
          .withWorkDir(process.workDir()));
    }
    return DockerAdapter.create((RuntimeConfig.Docker) config);
  }
}
