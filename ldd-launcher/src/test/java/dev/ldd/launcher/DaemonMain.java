package dev.ldd.launcher;

import dev.ldd.core.embedded.InMemoryBroker;
import dev.ldd.core.spi.Publication;
import dev.ldd.core.testing.FakeContainerRuntime;
import dev.ldd.core.testing.FakeFunction;
import dev.ldd.core.testing.FakeFunctionTransport;
import dev.ldd.core.time.SystemScheduler;
import dev.ldd.launcher.config.LddConfig;
import dev.ldd.launcher.config.SourceConfig;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code ldd run} with fakes for the runtime and transport, in its own JVM so that a test can signal it:
 * {@code DaemonMain CONFIG ok|hang}. With {@code hang} it publishes one message whose invocation never
 * ends, so a drain waits. Prints {@code RUNNING} once the daemon runs.
 */
public final class DaemonMain {
  public static void main(String[] args) {
    LddConfig config = LddConfig.load(Path.of(args[0]), System.getenv());
    FakeContainerRuntime runtime = new FakeContainerRuntime();
    FakeFunctionTransport transport = new FakeFunctionTransport(runtime, new SystemScheduler());
    if (args[1].equals("hang")) {
      transport.behaviour("enrich", FakeFunction.hang());
    }
    InMemoryBroker[] broker = new InMemoryBroker[1];
    DaemonComponents components = DaemonComponents.builtIn()
        .withSources((source, id) -> {
          DaemonComponents.Bus bus = DaemonComponents.embedded((SourceConfig.Embedded) source);
          broker[0] = (InMemoryBroker) bus.publisher();
          return bus;
        })
        .withRuntimes((r, id) -> runtime)
        .withTransports(() -> transport);
    Daemon daemon = Daemon.create(config, components);
    new Thread(() -> {
      daemon.engine().awaitRunning();
      if (args[1].equals("hang")) {
        broker[0].publish(new Publication("orders/eu/created", new byte[0], Map.of())).join();
      }
      System.out.println("RUNNING");
    }, "announce").start();
    System.exit(daemon.runUntilSignalled());
  }
}
