package dev.ldd.examples.embed;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import dev.ldd.core.engine.Dispatcher;
import dev.ldd.core.model.FunctionSpec;
import dev.ldd.core.routing.Route;
import dev.ldd.core.spi.MessagePublisher;
import dev.ldd.core.spi.Publication;
import dev.ldd.examples.echo.EchoFunction;
import dev.ldd.launcher.process.ProcessContainerRuntime;
import dev.ldd.launcher.process.ProcessRuntimeOptions;
import dev.ldd.wire.transport.TcpFunctionTransport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A Java service that embeds the engine through the library API, with no daemon, config file or bus:
 * its own {@link WorkQueue} as the message source, the function's publications handed to a callback,
 * the echo function as local processes ({@link ProcessContainerRuntime}), the TCP transport, and a
 * {@link Dispatcher} built by hand. The Docker runtime plugs in the same way
 * ({@code DockerContainerRuntime.create(...)} and an image instead of a command).
 *
 * <p>{@link #submit} returns when the job is queued (blocking while the queue is full); its future
 * completes once the function returned OK and its publications were handed over.
 */
public final class EmbeddedService implements AutoCloseable {
  /** The queue routes refer to, and the topics of the jobs. */
  public static final String QUEUE = "jobs";

  private final WorkQueue queue;
  private final ProcessContainerRuntime runtime;
  private final TcpFunctionTransport transport;
  private final Dispatcher engine;

  /**
   * Starts the engine with the echo function, prewarming one instance.
   *
   * @param functionClasspath the echo function's classpath: its jar, the ldd-wire SDK and protobuf
   * @param output receives what the function publishes (replies, forwards); called on the engine's
   *     threads, so it must not block
   * @param capacity jobs waiting or in flight at most
   * @param startTimeout how long the first instance may take to start before the constructor gives up
   */
  public EmbeddedService(String functionClasspath, Consumer<Publication> output, int capacity,
      Duration startTimeout) {
    requireNonNull(functionClasspath, "functionClasspath");
    requireNonNull(output, "output");
    this.queue = new WorkQueue(QUEUE, capacity);
    this.runtime = new ProcessContainerRuntime(ProcessRuntimeOptions.defaults());
    this.transport = TcpFunctionTransport.create();
    String java = ProcessRuntimeOptions.defaults().java().toString();
    FunctionSpec echo = FunctionSpec.builder("echo", "echo")
        .command(List.of(java, "-cp", functionClasspath, EchoFunction.class.getName()))
        .concurrency(16, 1, 2)
        .startTimeout(startTimeout)
        .invocationTimeout(Duration.ofSeconds(10))
        .maxDeliveries(3)
        .build();
    // In process, "confirmed by the bus" is "handed to the service".
    MessagePublisher publisher = publication -> {
      output.accept(publication);
      return CompletableFuture.completedFuture(null);
    };
    this.engine = Dispatcher.builder()
        .daemonId("embedded-service")
        .source(queue.source())
        .publisher(publisher)
        .runtime(runtime)
        .transport(transport)
        .function(echo)
        .route(Route.of(QUEUE, QUEUE + "/>", "echo"))
        .maxInFlight(capacity)
        .drainTimeout(Duration.ofSeconds(10))
        .build();
    engine.startAsync().awaitRunning();
    try {
      engine.prewarmed().get(startTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      close();
      throw new IllegalStateException("the echo function did not start within " + startTimeout + " with classpath '"
          + functionClasspath + "'; it needs the function's jar, the ldd-wire SDK and protobuf", e);
    }
  }

  /** Queues a job for the echo function; a non-null {@code replyTo} gets the echo. */
  public CompletableFuture<Void> submit(String name, byte[] payload, String replyTo) throws InterruptedException {
    return queue.submit(QUEUE + "/" + name, payload, Map.of(), replyTo);
  }

  /** The engine, for its status. */
  public Dispatcher engine() {
    return engine;
  }

  /** Drains the engine (jobs in flight finish), stops the function's processes, releases the rest. */
  @Override
  public void close() {
    try {
      engine.stopAsync().awaitTerminated(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("the engine did not stop within 30 s", e);
    } finally {
      transport.close();
      runtime.close();
    }
  }

  /**
   * Sends ten jobs through the echo function and prints the replies. The argument is the function's
   * classpath (default: this JVM's), e.g. {@code 'examples/target/functions/*'}.
   */
  public static void main(String[] args) throws Exception {
    String classpath = args.length > 0 ? args[0] : System.getProperty("java.class.path");
    Map<String, String> replies = new ConcurrentHashMap<>();
    try (EmbeddedService service = new EmbeddedService(classpath,
        p -> replies.put(p.topic(), new String(p.payload(), UTF_8)), 64, Duration.ofSeconds(30))) {
      List<CompletableFuture<Void>> done = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        done.add(service.submit("job-" + i, ("hello " + i).getBytes(UTF_8), "replies/" + i));
      }
      CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
      replies.entrySet().stream().sorted(Map.Entry.comparingByKey())
          .forEach(e -> System.out.println(e.getKey() + ": " + e.getValue()));
    }
    System.out.println("10 jobs processed by echo and accepted");
  }
}
