package dev.ldd.docker.bench;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import dev.ldd.core.model.FunctionSpec;
import dev.ldd.core.spi.Endpoint;
import dev.ldd.core.spi.InstanceRequest;
import dev.ldd.core.spi.RuntimeInstance;
import dev.ldd.docker.DockerContainerRuntime;
import dev.ldd.docker.testing.TestDocker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Cold start through {@link DockerContainerRuntime} beside bare docker-java create + start + inspect of
 * the same image, interleaved in one run so that both see the same engine and machine. "ready" is the
 * first byte from the function (the byte server's greeting), measured from the start request.
 *
 * <p>Run: {@code ./mvnw -q -pl ldd-docker -am -Pcoldstart-bench -DskipTests verify} ({@code -Dbench.n=50}
 * for more samples). Not a test: it prints a table.
 */
public final class ColdStartBenchmark {
  private ColdStartBenchmark() {}

  public static void main(String[] args) throws Exception {
    int n = Integer.getInteger("bench.n", 20);
    int warmup = Integer.getInteger("bench.warmup", 3);
    String daemonId = "bench-" + UUID.randomUUID().toString().substring(0, 8);
    TestDocker.byteServerImage();
    FunctionSpec fn = FunctionSpec.builder("byte-server", TestDocker.BYTE_SERVER_IMAGE).port(8080).build();
    DockerClient bare = TestDocker.client();

    String loadBefore = loadAverage();
    Map<String, List<Long>> ldd = new LinkedHashMap<>();
    Map<String, List<Long>> raw = new LinkedHashMap<>();
    try (DockerContainerRuntime runtime = DockerContainerRuntime.create(TestDocker.config())) {
      for (int i = 0; i < warmup + n; i++) {
        boolean record = i >= warmup;
        // Alternate which goes first, so that neither always meets a just-freed engine.
        if (i % 2 == 0) {
          lddStart(runtime, fn, daemonId, i, record ? ldd : new LinkedHashMap<>());
          bareStart(bare, fn, daemonId, i, record ? raw : new LinkedHashMap<>());
        } else {
          bareStart(bare, fn, daemonId, i, record ? raw : new LinkedHashMap<>());
          lddStart(runtime, fn, daemonId, i, record ? ldd : new LinkedHashMap<>());
        }
      }
      runtime.removeOrphans(daemonId).get(30, TimeUnit.SECONDS);
    }

    System.out.printf(Locale.ROOT, "%nCold start, %d samples each (after %d warm-up), image %s, %d cores, "
        + "load average before %s, after %s%n", n, warmup, TestDocker.BYTE_SERVER_IMAGE,
        Runtime.getRuntime().availableProcessors(), loadBefore, loadAverage());
    System.out.printf(Locale.ROOT, "%-34s %10s %10s %10s %10s%n", "phase (ms)", "LDD p50", "LDD p99", "bare p50",
        "bare p99");
    for (String phase : ldd.keySet()) {
      List<Long> b = raw.getOrDefault(phase, List.of());
      System.out.printf(Locale.ROOT, "%-34s %10.1f %10.1f %10s %10s%n", phase, ms(pct(ldd.get(phase), 50)),
          ms(pct(ldd.get(phase), 99)), b.isEmpty() ? "-" : fmt(ms(pct(b, 50))), b.isEmpty() ? "-" : fmt(ms(pct(b, 99))));
    }
    String total = "start (create+start+inspect)";
    System.out.printf(Locale.ROOT, "%nLDD overhead over bare create+start+inspect: p50 %.3fx, p99 %.3fx%n",
        ratio(ldd.get(total), raw.get(total), 50), ratio(ldd.get(total), raw.get(total), 99));
    // Samples are taken in pairs (one LDD, one bare, back to back): the median of the per-pair differences
    // is the overhead least disturbed by other load on the machine.
    System.out.printf(Locale.ROOT, "median paired difference LDD - bare: start %+.1f ms, ready %+.1f ms%n",
        ms(medianDifference(ldd.get(total), raw.get(total))),
        ms(medianDifference(ldd.get("ready (first byte)"), raw.get("ready (first byte)"))));
    System.out.printf(Locale.ROOT, "ready (first byte) LDD vs bare: p50 %.3fx, p99 %.3fx%n",
        ratio(ldd.get("ready (first byte)"), raw.get("ready (first byte)"), 50),
        ratio(ldd.get("ready (first byte)"), raw.get("ready (first byte)"), 99));
  }

  private static void lddStart(DockerContainerRuntime runtime, FunctionSpec fn, String daemonId, int i,
      Map<String, List<Long>> out) throws Exception {
    long t0 = System.nanoTime();
    RuntimeInstance instance = runtime.start(new InstanceRequest("ldd-" + i, daemonId, fn)).get(30, TimeUnit.SECONDS);
    long started = System.nanoTime();
    long ready = TestDocker.awaitGreeting(instance.endpoint(), Duration.ofSeconds(30));
    for (Map.Entry<String, Duration> phase : instance.startPhases().entrySet()) {
      add(out, phase.getKey(), phase.getValue().toNanos());
    }
    add(out, "start (create+start+inspect)", started - t0);
    add(out, "ready (first byte)", ready - t0);
    runtime.kill(instance.nativeId()).get(30, TimeUnit.SECONDS);
  }

  private static void bareStart(DockerClient docker, FunctionSpec fn, String daemonId, int i,
      Map<String, List<Long>> out) throws Exception {
    long t0 = System.nanoTime();
    String id = docker.createContainerCmd(fn.image())
        .withName("ldd-" + daemonId + "-bare-" + i)
        .withLabels(Map.of("ldd-test", "ldd-docker", "dev.ldd.daemon", daemonId))
        .withEnv("LDD_PORT=" + fn.port())
        .withExposedPorts(ExposedPort.tcp(fn.port()))
        .withHostConfig(HostConfig.newHostConfig()
            .withPortBindings(new PortBinding(Ports.Binding.bindIp("127.0.0.1"), ExposedPort.tcp(fn.port()))))
        .exec().getId();
    long t1 = System.nanoTime();
    docker.startContainerCmd(id).exec();
    long t2 = System.nanoTime();
    InspectContainerResponse inspect = docker.inspectContainerCmd(id).exec();
    long t3 = System.nanoTime();
    int port = Integer.parseInt(
        inspect.getNetworkSettings().getPorts().getBindings().get(ExposedPort.tcp(fn.port()))[0].getHostPortSpec());
    long ready = TestDocker.awaitGreeting(new Endpoint("127.0.0.1", port), Duration.ofSeconds(30));
    add(out, "create", t1 - t0);
    add(out, "start", t2 - t1);
    add(out, "inspect", t3 - t2);
    add(out, "start (create+start+inspect)", t3 - t0);
    add(out, "ready (first byte)", ready - t0);
    docker.removeContainerCmd(id).withForce(true).exec();
  }

  private static void add(Map<String, List<Long>> out, String key, long nanos) {
    out.computeIfAbsent(key, k -> new ArrayList<>()).add(nanos);
  }

  /** Nearest-rank percentile. */
  private static long pct(List<Long> values, int p) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
  }

  private static double ratio(List<Long> a, List<Long> b, int p) {
    return (double) pct(a, p) / pct(b, p);
  }

  private static long medianDifference(List<Long> a, List<Long> b) {
    List<Long> differences = new ArrayList<>();
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      differences.add(a.get(i) - b.get(i));
    }
    return pct(differences, 50);
  }

  private static String loadAverage() {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return fields[0] + " " + fields[1] + " " + fields[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }

  private static String fmt(double ms) {
    return String.format(Locale.ROOT, "%.1f", ms);
  }
}
