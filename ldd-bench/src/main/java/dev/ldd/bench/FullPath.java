package dev.ldd.bench;

import static dev.ldd.bench.Figures.Target.AT_LEAST;
import static dev.ldd.bench.Figures.Target.AT_MOST;
import static dev.ldd.bench.Figures.Target.RATIO_AT_MOST;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import dev.ldd.bench.fn.EchoServer;
import dev.ldd.bench.fn.OkFunction;
import dev.ldd.core.model.FunctionSpec;
import dev.ldd.core.model.Resources;
import dev.ldd.core.routing.Route;
import dev.ldd.core.spi.ContainerRuntime;
import dev.ldd.core.spi.Publication;
import dev.ldd.docker.DockerClients;
import dev.ldd.docker.DockerContainerRuntime;
import dev.ldd.docker.DockerRuntimeConfig;
import dev.ldd.docker.image.FunctionImageBuilder;
import dev.ldd.docker.image.FunctionImageSpec;
import dev.ldd.launcher.process.ProcessContainerRuntime;
import dev.ldd.launcher.process.ProcessRuntimeOptions;
import dev.ldd.wire.sdk.LddFunction;
import dev.ldd.wire.transport.TcpFunctionTransport;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * The full-path load driver of issue 7: a message on the embedded source to its settlement, through the
 * engine, the TCP transport and a function instance, beside physical baselines measured in the same run.
 * Prints one table. Not a test; nothing is asserted.
 *
 * <pre>
 * java -cp ldd-bench/target/benchmarks.jar dev.ldd.bench.FullPath [--quick] [--runs N]
 *      [--scenarios warm,inline,docker,cold,scale,memory] [--starts N]
 * </pre>
 *
 * The scale and memory scenarios run in a child JVM of their own (flags from {@code --daemon-jvm}), so
 * that the daemon's heap and resident set are not those left behind by the other scenarios.
 */
public final class FullPath {
  static final int[] PAYLOADS = {256, 64 * 1024};
  static final int[] CONCURRENCY = {16, 64, 256};
  static final Map<String, String> LABELS = Map.of("ldd-bench", "full-path");
  static final String OK_IMAGE = "ldd-bench/ok:1";
  static final String ECHO_IMAGE = "ldd-bench/echo:1";

  private final Figures figures = new Figures();
  private boolean quick;
  private int runs = 2;
  private int starts = 30;
  /** JVM flags of the scale/memory child, one child per ';'-separated set ("default": none). */
  private String daemonJvm = "-XX:+UseSerialGC -Xmx64m;default";
  private String tag = "";
  private Set<String> scenarios = new LinkedHashSet<>(
      List.of("warm", "inline", "docker", "docker-direct", "cold", "scale", "memory"));
  private boolean child;
  private final String daemonId = "bench-" + UUID.randomUUID().toString().substring(0, 8);

  private FullPath() {}

  public static void main(String[] args) throws Exception {
    FullPath b = new FullPath();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick" -> b.quick = true;
        case "--runs" -> b.runs = Integer.parseInt(args[++i]);
        case "--starts" -> b.starts = Integer.parseInt(args[++i]);
        case "--scenarios" -> b.scenarios = new LinkedHashSet<>(List.of(args[++i].split(",")));
        case "--daemon-jvm" -> b.daemonJvm = args[++i];
        case "--child" -> b.child = true;
        case "--tag" -> b.tag = args[++i];
        default -> {
          System.err.println("usage: FullPath [--quick] [--runs N] [--starts N] "
              + "[--scenarios warm,inline,docker,cold,scale,memory] [--daemon-jvm \"flags\"]");
          System.exit(64);
        }
      }
    }
    if (b.quick && b.starts == 30) {
      b.starts = 10;
    }
    b.run(args);
    System.exit(0);
  }

  private void run(String[] args) throws Exception {
    long t0 = System.nanoTime();
    String load0 = Probes.loadAverage();
    if (child) {
      scaleAndMemory();
      for (String l : figures.serialize()) {
        System.out.println(l);
      }
      return;
    }
    log("full path: scenarios %s, %d run(s), %s, %d cores, JDK %s, load average %s", scenarios, runs,
        quick ? "quick" : "full", Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
        load0);
    if (scenarios.contains("warm")) {
      warm("1 warm/process", processRuntime(), okProcess("ok", 256, false), null, false);
    }
    if (scenarios.contains("inline")) {
      warm("1b warm/process, inline bus+settle", processRuntime(), okProcess("ok", 256, false), null, true);
    }
    if (scenarios.contains("docker") || scenarios.contains("docker-direct") || scenarios.contains("cold")) {
      buildImages();
    }
    if (scenarios.contains("docker")) {
      try (DockerContainerRuntime docker = DockerContainerRuntime.create(dockerConfig())) {
        warm("2 warm/docker", docker, okDocker("ok", 256), docker, false);
      }
    }
    if (scenarios.contains("docker-direct")) {
      // The opt-in endpoint: the container's own address on the bridge, no published port, no proxy.
      try (DockerContainerRuntime docker = DockerContainerRuntime.create(
          dockerConfig().toBuilder().containerAddress(true).build())) {
        warm("2b warm/docker, container address", docker, okDocker("ok", 256), docker, false);
      }
    }
    if (scenarios.contains("cold")) {
      cold();
    }
    if (scenarios.contains("scale") || scenarios.contains("memory")) {
      forkScale();
    }
    System.out.printf(Locale.ROOT, "%nFull path, %s, %d run(s) (each value is one run), %d cores, "
        + "load average before %s, after %s, %.0f s%n%n", quick ? "quick" : "full", runs,
        Runtime.getRuntime().availableProcessors(), load0, Probes.loadAverage(), (System.nanoTime() - t0) / 1e9);
    System.out.print(figures.table());
  }

  // ------------------------------------------------------------------ scenarios 1 and 2: the warm path

  private void warm(String scenario, ContainerRuntime runtime, FunctionSpec fn, DockerContainerRuntime docker,
      boolean inline) throws Exception {
    log("%s: starting", scenario);
    EchoServer localEcho = new EchoServer(InetAddress.getLoopbackAddress(), 0);
    String echoContainer = null;
    int proxiedPort = -1;
    DockerClient client = null;
    if (docker != null) {
      client = DockerClients.control(dockerConfig());
      echoContainer = startEcho(client);
      proxiedPort = publishedPort(client, echoContainer);
      awaitEcho(proxiedPort);
    }
    try (TcpFunctionTransport transport = TcpFunctionTransport.create();
         Engine e = new Engine(daemonId, runtime, transport, List.of(fn),
             List.of(Route.of("q", "bench/>", fn.name())), 512, inline).start().awaitPrewarmed()) {
      for (int run = 0; run < runs; run++) {
        for (int payload : PAYLOADS) {
          String p = payload == 256 ? "256 B" : "64 KiB";
          Publication pub = new Publication("bench/ok", new byte[payload], Map.of());
          int n = payload == 256 ? (quick ? 3000 : 10000) : (quick ? 1000 : 3000);
          int warmup = quick ? n / 2 : n;
          // Latency at concurrency 1.
          double[] raw = pingPong("127.0.0.1", localEcho.port(), payload, warmup, n);
          long[][] stages = new long[Engine.STAGES.length][n];
          long[] l = e.latencies(pub, warmup, n, stages);
          double[] ldd = {Figures.pct(l, n, 50) / 1e3, Figures.pct(l, n, 99) / 1e3, Figures.pct(l, n, 99.9) / 1e3};
          figures.add(scenario, p + " c=1 p50", "us", ldd[0], raw[0], RATIO_AT_MOST, 2, "<= 2x raw ping-pong");
          figures.add(scenario, p + " c=1 p99", "us", ldd[1], raw[1], RATIO_AT_MOST, 3, "<= 3x raw ping-pong");
          figures.add(scenario, p + " c=1 p99.9", "us", ldd[2], raw[2]);
          for (int k = 0; k < stages.length; k++) {
            figures.add(scenario, p + " c=1 p50 stage: " + Engine.STAGES[k], "us", Figures.pct(stages[k], n, 50) / 1e3,
                Double.NaN);
          }
          if (payload == 256) {
            double[] handOff = HandOff.measure(warmup, n);
            figures.add(scenario, "thread hand-over round trip p50 (2 wake-ups, no socket)", "us", handOff[0], raw[0]);
            log("%s run %d: thread hand-over round trip p50 %.1f us, p99 %.1f us", scenario, run + 1, handOff[0],
                handOff[1]);
          }
          if (docker != null) {
            double[] proxied = pingPong("127.0.0.1", proxiedPort, payload, warmup, n);
            figures.add(scenario, p + " c=1 p50 vs Docker proxy", "us", ldd[0], proxied[0], RATIO_AT_MOST, 2,
                "<= 2x proxied ping-pong");
            figures.add(scenario, p + " c=1 p99 vs Docker proxy", "us", ldd[1], proxied[1], RATIO_AT_MOST, 3,
                "<= 3x proxied ping-pong");
          }
          log("%s run %d %s c=1: p50 %.1f us (raw %.1f), p99 %.1f (raw %.1f), p99.9 %.1f (raw %.1f)", scenario,
              run + 1, p, ldd[0], raw[0], ldd[1], raw[1], ldd[2], raw[2]);
          // Throughput at 16, 64, 256 outstanding.
          long warmMs = quick ? 500 : 1000;
          long measureMs = quick ? 1000 : 2500;
          for (int c : CONCURRENCY) {
            double rawRate;
            try (RawClient rc = new RawClient("127.0.0.1", localEcho.port(), payload)) {
              rawRate = rc.pipelined(c, warmMs / 2, measureMs);
            }
            Engine.Load load = e.load(new Publication[] {pub}, c, warmMs, measureMs);
            if (docker == null) {
              figures.add(scenario, p + " c=" + c + " throughput", "msg/s", load.perSecond(), rawRate, AT_LEAST,
                  50_000, ">= 50,000 msg/s");
            } else {
              figures.add(scenario, p + " c=" + c + " throughput", "msg/s", load.perSecond(), rawRate, AT_LEAST,
                  25_000, ">= 25,000 msg/s (half of process)");
            }
            String proxiedText = "";
            if (docker != null) {
              double proxied;
              try (RawClient rc = new RawClient("127.0.0.1", proxiedPort, payload)) {
                proxied = rc.pipelined(c, warmMs / 2, measureMs);
              }
              figures.add(scenario, p + " c=" + c + " raw via Docker proxy", "frames/s", proxied, rawRate);
              proxiedText = String.format(Locale.ROOT, ", raw via Docker proxy %.0f/s", proxied);
            }
            figures.add(scenario, p + " c=" + c + " daemon CPU per message", "us",
                load.processCpuNanos() / 1e3 / Math.max(1, load.messages()), Double.NaN);
            log("%s run %d %s c=%d: %.0f msg/s (raw pipelined %.0f frames/s%s), daemon CPU %.1f us/msg", scenario,
                run + 1, p, c, load.perSecond(), rawRate, proxiedText,
                load.processCpuNanos() / 1e3 / Math.max(1, load.messages()));
          }
        }
      }
      if (e.notAccepted.sum() > 0) {
        log("%s: %d messages were not accepted", scenario, e.notAccepted.sum());
      }
    } finally {
      localEcho.close();
      if (client != null) {
        client.removeContainerCmd(echoContainer).withForce(true).exec();
        client.close();
      }
    }
  }

  /** p50, p99, p99.9 of a raw ping-pong of the payload, microseconds. */
  private static double[] pingPong(String host, int port, int payload, int warmup, int n) throws IOException {
    try (RawClient rc = new RawClient(host, port, payload)) {
      for (int i = 0; i < warmup; i++) {
        rc.pingPong();
      }
      long[] l = new long[n];
      for (int i = 0; i < n; i++) {
        l[i] = rc.pingPong();
      }
      return new double[] {Figures.pct(l, n, 50) / 1e3, Figures.pct(l, n, 99) / 1e3, Figures.pct(l, n, 99.9) / 1e3};
    }
  }

  // ------------------------------------------------------------------ scenario 3: cold start

  private void cold() throws Exception {
    String scenario = "3 cold/docker";
    log("%s: %d starts, LDD and bare docker-java interleaved", scenario, starts);
    FunctionSpec fn = okDocker("ok-cold", 1).toBuilder().concurrency(1, 0, 1).build();
    Publication pub = new Publication("bench/ok", new byte[256], Map.of());
    Map<String, List<Long>> ldd = new LinkedHashMap<>();
    Map<String, List<Long>> bare = new LinkedHashMap<>();
    DockerClient client = DockerClients.control(dockerConfig());
    try (DockerContainerRuntime docker = DockerContainerRuntime.create(dockerConfig());
         TcpFunctionTransport transport = TcpFunctionTransport.create()) {
      int warmup = 2;
      for (int i = 0; i < warmup + starts; i++) {
        boolean record = i >= warmup;
        Map<String, List<Long>> l = record ? ldd : new LinkedHashMap<>();
        Map<String, List<Long>> b = record ? bare : new LinkedHashMap<>();
        if (i % 2 == 0) {
          lddCold(docker, transport, fn, pub, l);
          bareCold(client, fn, i, b);
        } else {
          bareCold(client, fn, i, b);
          lddCold(docker, transport, fn, pub, l);
        }
      }
      for (String phase : ldd.keySet()) {
        String base = switch (phase) {
          case "create", "start", "inspect" -> phase;
          case "ready" -> "ready";
          case "to ready (publish -> instance ready)" -> "create+start+inspect+ready";
          case "message settled (publish -> settled)" -> "create+start+inspect+ready";
          default -> null;
        };
        for (int p : new int[] {50, 99}) {
          double v = pct(ldd.get(phase), p) / 1e6;
          double bv = base == null || !bare.containsKey(base) ? Double.NaN : pct(bare.get(base), p) / 1e6;
          if (phase.startsWith("to ready")) {
            figures.add(scenario, phase + " p" + p, "ms", v, bv, RATIO_AT_MOST, 1.10, "LDD adds < 10%");
          } else {
            figures.add(scenario, phase + " p" + p, "ms", v, bv);
          }
        }
      }
      // Prewarm: minInstances 1, then the first message against warm ones on the same instance.
      int prewarms = quick ? 4 : 8;
      List<Long> first = new ArrayList<>();
      List<Long> warm = new ArrayList<>();
      List<Long> warmAfterIdle = new ArrayList<>();
      FunctionSpec pre = fn.toBuilder().concurrency(1, 1, 1).build();
      for (int i = 0; i < prewarms; i++) {
        try (Engine e = new Engine(daemonId, docker, transport, List.of(pre),
            List.of(Route.of("q", "bench/>", pre.name())), 16).start().awaitPrewarmed()) {
          Thread.sleep(200);
          first.add(e.one(pub));
          long[] w = e.latencies(pub, 0, 500);
          warm.add((long) Figures.pct(w, w.length, 50));
          // The first message always follows idle time: the same 200 ms on the now hot instance.
          Thread.sleep(200);
          warmAfterIdle.add(e.one(pub));
        }
      }
      figures.add(scenario, "prewarmed first message p50, against a warm one after the same 200 ms idle", "us",
          pct(first, 50) / 1e3, pct(warmAfterIdle, 50) / 1e3);
      for (int p : new int[] {50, 99}) {
        figures.add(scenario, "prewarmed first message p" + p, "us", pct(first, p) / 1e3, pct(warm, 50) / 1e3,
            p == 50 ? RATIO_AT_MOST : Figures.Target.NONE, 2, p == 50 ? "<= 2x warm p50" : "");
      }
      log("%s: prewarmed first message p50 %.0f us, max %.0f us; warm p50 %.0f us; warm after 200 ms idle p50 %.0f us",
          scenario, pct(first, 50) / 1e3, pct(first, 100) / 1e3, pct(warm, 50) / 1e3, pct(warmAfterIdle, 50) / 1e3);
      docker.removeOrphans(daemonId).get(60, TimeUnit.SECONDS);
    } finally {
      client.close();
    }
  }

  private void lddCold(DockerContainerRuntime docker, TcpFunctionTransport transport, FunctionSpec fn,
      Publication pub, Map<String, List<Long>> out) throws Exception {
    try (Engine e = new Engine(daemonId, docker, transport, List.of(fn),
        List.of(Route.of("q", "bench/>", fn.name())), 16).start()) {
      long t0 = System.nanoTime();
      long total = e.one(pub);
      for (Map.Entry<String, Duration> phase : e.lastColdStart.entrySet()) {
        add(out, phase.getKey(), phase.getValue().toNanos());
      }
      add(out, "to ready (publish -> instance ready)", e.lastReadyNanos - t0);
      add(out, "first invocation", e.lastInvocation.toNanos());
      add(out, "message settled (publish -> settled)", total);
    }
  }

  private void bareCold(DockerClient docker, FunctionSpec fn, int i, Map<String, List<Long>> out) throws Exception {
    long t0 = System.nanoTime();
    String id = docker.createContainerCmd(fn.image())
        .withName("ldd-" + daemonId + "-bare-" + i)
        .withLabels(Map.of("ldd-bench", "full-path-baseline"))
        .withEnv("LDD_PORT=" + fn.port(), "LDD_FUNCTION=" + fn.name(), "LDD_BENCH_CONCURRENCY=1")
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
    long ready = awaitFirstByte(port, Duration.ofSeconds(60)) - t0;
    add(out, "create", t1 - t0);
    add(out, "start", t2 - t1);
    add(out, "inspect", t3 - t2);
    add(out, "ready", ready - (t3 - t0));
    add(out, "create+start+inspect+ready", ready);
    docker.removeContainerCmd(id).withForce(true).exec();
  }

  /** Connects until the far end sends its first byte (the wrapper's Ready); the nanoTime it arrived. */
  private static long awaitFirstByte(int port, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
        s.setSoTimeout(5000);
        if (s.getInputStream().read() >= 0) {
          return System.nanoTime();
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(2);
    }
    throw new IllegalStateException("no first byte from 127.0.0.1:" + port);
  }

  // ------------------------------------------------------------------ scenarios 4 and 5: scale and memory

  private void forkScale() throws Exception {
    String[] configs = daemonJvm.split(";");
    for (int i = 0; i < configs.length && (i == 0 || !quick); i++) {
      forkScale(configs[i].trim());
    }
  }

  private void forkScale(String flags) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    boolean defaults = flags.isEmpty() || flags.equals("default");
    if (!defaults) {
      cmd.addAll(List.of(flags.split("\\s+")));
    }
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(FullPath.class.getName());
    cmd.add("--child");
    cmd.add("--runs");
    cmd.add(Integer.toString(runs));
    if (quick) {
      cmd.add("--quick");
    }
    cmd.add("--scenarios");
    cmd.add(String.join(",", scenarios));
    cmd.add("--tag");
    cmd.add(defaults ? "JVM defaults" : flags);
    log("4/5 scale and memory: in a child JVM (daemon flags: %s)", defaults ? "JVM defaults" : flags);
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (!figures.parse(line)) {
          System.out.println(line);
        }
      }
    }
    if (p.waitFor() != 0) {
      log("the scale/memory child exited with %d", p.exitValue());
    }
  }

  private void scaleAndMemory() throws Exception {
    ProcessContainerRuntime runtime = processRuntime();
    String s4 = "4 scale/process [" + tag + "]";
    String s5 = "5 memory/process [" + tag + "]";
    String jvm = String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments());
    try (TcpFunctionTransport transport = TcpFunctionTransport.create()) {
      // Idle: the engine with 100 functions and their routes, no instance.
      List<FunctionSpec> hundred = new ArrayList<>();
      List<Route> routes = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        hundred.add(okProcess("f" + i, 4, true).toBuilder().concurrency(4, i < 50 ? 1 : 0, 1).build());
        String sub = switch (i % 3) {
          case 0 -> "load/" + i + "/*";
          case 1 -> "load/" + i + "/>";
          default -> "load/" + i + "/ev*";
        };
        routes.add(Route.of("q", sub, "f" + i));
      }
      routes.add(Route.of("q", ">", "f99"));
      Publication[] mixed = new Publication[4096];
      Random rnd = new Random(7);
      List<FunctionSpec> idleSpecs = hundred.stream().map(f -> f.toBuilder()
          .concurrency(4, 0, 1).build()).toList();
      try (Engine idle = new Engine(daemonId, runtime, transport, idleSpecs, routes, 512).start()) {
        Thread.sleep(500);
        memory(s5, "idle (100 functions, no instance)", jvm);
      }
      // 1 function with 50 warm instances, against 100 functions with 50 warm (one each).
      FunctionSpec one = okProcess("f0", 4, true).toBuilder().concurrency(4, 50, 50).build();
      for (int config = 0; config < 2; config++) {
        boolean many = config == 1;
        String label = many ? "100 functions" : "1 function";
        long ts = System.nanoTime();
        try (Engine e = new Engine(daemonId, runtime, transport, many ? hundred : List.of(one),
            many ? routes : List.of(Route.of("q", "load/>", "f0")), 512).start().awaitPrewarmed()) {
          log("%s %s: 50 instances ready in %.1f s", s4, label, (System.nanoTime() - ts) / 1e9);
          if (many) {
            Thread.sleep(500);
            memory(s5, "50 warm instances", jvm);
          }
          // Every instance's first invocations are slow (class loading and JIT in 50 fresh JVMs on 2 cores):
          // a warm-up load first, so that what is measured is the warm path.
          for (int k = 0; k < mixed.length; k++) {
            mixed[k] = new Publication("load/" + rnd.nextInt(50) + "/ev" + rnd.nextInt(10), new byte[256], Map.of());
          }
          Engine.Load w = e.load(mixed, 64, quick ? 3000 : 6000, 500);
          log("%s %s: warm-up load at %.0f msg/s", s4, label, w.perSecond());
          for (int run = 0; run < runs; run++) {
            for (int payload : PAYLOADS) {
              String p = payload == 256 ? "256 B" : "64 KiB";
              byte[] bytes = new byte[payload];
              for (int k = 0; k < mixed.length; k++) {
                int f = many ? rnd.nextInt(50) : 0;
                mixed[k] = new Publication("load/" + (many ? f : rnd.nextInt(50)) + "/ev" + rnd.nextInt(10), bytes,
                    Map.of());
              }
              Engine.Load load = e.load(mixed, 64, quick ? 500 : 1000, quick ? 1500 : 3000);
              double cpu = load.processCpuNanos() / 1e3 / Math.max(1, load.messages());
              double loop = load.dispatchCpuNanos() / 1e3 / Math.max(1, load.messages());
              figures.add(s4, p + " c=64 throughput, " + label, "msg/s", load.perSecond(), Double.NaN);
              figures.add(s4, p + " daemon CPU per message, " + label, "us", cpu, Double.NaN);
              figures.add(s4, p + " event-loop CPU per message, " + label, "us", loop, Double.NaN);
              scaleCpu.computeIfAbsent(p + "|" + run, k -> new double[4])[many ? 1 : 0] = cpu;
              scaleCpu.get(p + "|" + run)[many ? 3 : 2] = loop;
              log("%s %s run %d %s: %.0f msg/s, daemon CPU %.1f us/msg, event loop %.2f us/msg, max RSS %d MiB",
                  s4, label, run + 1, p, load.perSecond(), cpu, loop, load.maxRssKb() / 1024);
              if (many) {
                figures.add(s5, "under load, " + p + " c=64: max RSS", "MiB", load.maxRssKb() / 1024.0, Double.NaN,
                    AT_MOST, 128, "< 128 MiB");
                figures.add(s5, "under load, " + p + " c=64: heap used (before GC)", "MiB",
                    Probes.heapUsed() / 1048576.0, Double.NaN);
              }
            }
          }
          if (e.notAccepted.sum() > 0) {
            log("%s %s: %d messages were not accepted", s4, label, e.notAccepted.sum());
          }
        }
      }
      for (int run = 0; run < runs; run++) {
        for (int payload : PAYLOADS) {
          String p = payload == 256 ? "256 B" : "64 KiB";
          double[] c = scaleCpu.get(p + "|" + run);
          figures.add(s4, p + " daemon CPU/msg, 100 vs 1 function", "us", c[1], c[0], RATIO_AT_MOST, 1.25,
              "flat (<= 1.25x)");
          figures.add(s4, p + " event-loop CPU/msg, 100 vs 1 function", "us", c[3], c[2], RATIO_AT_MOST, 1.25,
              "flat (<= 1.25x)");
        }
      }
    }
    runtime.close();
  }

  private final Map<String, double[]> scaleCpu = new LinkedHashMap<>();

  private void memory(String scenario, String state, String jvm) {
    long heap = Probes.heapUsedAfterGc();
    long rss = Probes.rssKb();
    figures.add(scenario, state + ": RSS", "MiB", rss / 1024.0, Double.NaN,
        state.startsWith("50 warm") ? AT_MOST : Figures.Target.NONE, 128,
        state.startsWith("50 warm") ? "< 128 MiB" : "");
    figures.add(scenario, state + ": heap used after GC", "MiB", heap / 1048576.0, Double.NaN);
    figures.add(scenario, state + ": heap committed", "MiB", Probes.heapCommitted() / 1048576.0, Double.NaN);
    log("%s %s: RSS %d MiB, heap used after GC %.1f MiB, committed %.1f MiB (JVM flags: %s)", scenario, state,
        rss / 1024, heap / 1048576.0, Probes.heapCommitted() / 1048576.0, jvm);
    if (jvm.contains("NativeMemoryTracking")) {
      // Where the resident set goes, by the JVM's own account (-XX:NativeMemoryTracking=summary).
      try {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
            Long.toString(ProcessHandle.current().pid()), "VM.native_memory", "summary", "scale=MB")
            .redirectErrorStream(true).start();
        for (String line : new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
          if (line.contains("committed=") && (line.startsWith("Total") || line.startsWith("-"))) {
            log("  nmt %s", line.trim());
          }
        }
      } catch (IOException e) {
        log("  jcmd failed: %s", e.getMessage());
      }
    }
  }

  // ------------------------------------------------------------------ functions, runtimes, images

  private ProcessContainerRuntime processRuntime() {
    return new ProcessContainerRuntime(ProcessRuntimeOptions.defaults());
  }

  /** The OK function as a local JVM: small heap, serial GC (50 of them run at once in scenario 4). */
  private static FunctionSpec okProcess(String name, int concurrency, boolean small) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of(java, "-XX:+UseSerialGC", "-Xshare:auto"));
    if (small) {
      cmd.addAll(List.of("-Xmx32m", "-Xss256k", "-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1"));
    }
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), OkFunction.class.getName()));
    return FunctionSpec.builder(name, "process:" + OkFunction.class.getName())
        .command(cmd)
        .env(Map.of("LDD_BENCH_CONCURRENCY", Integer.toString(concurrency)))
        .concurrency(concurrency, 1, 1)
        .startTimeout(Duration.ofSeconds(120))
        .build();
  }

  private static FunctionSpec okDocker(String name, int concurrency) {
    // The wrapper runs one thread per declared slot: 256 of them exceed Docker's default pids limit (256).
    return FunctionSpec.builder(name, OK_IMAGE)
        .port(8080)
        .resources(new Resources(0, 0, 1024))
        .env(Map.of("LDD_BENCH_CONCURRENCY", Integer.toString(concurrency)))
        .concurrency(concurrency, 1, 1)
        .startTimeout(Duration.ofSeconds(120))
        .build();
  }

  private static DockerRuntimeConfig dockerConfig() {
    return DockerRuntimeConfig.builder().labels(LABELS).build();
  }

  private void buildImages() throws Exception {
    Path dir = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"), "ldd-bench"));
    Path ok = classJar(dir.resolve("ok.jar"), OkFunction.class);
    Path echo = classJar(dir.resolve("echo.jar"), EchoServer.class);
    Path sdk = slimJar(dir.resolve("sdk.jar"), LddFunction.class, "dev/ldd/wire/");
    Path protobuf = slimJar(dir.resolve("protobuf.jar"), com.google.protobuf.Message.class, "com/google/protobuf/");
    long t0 = System.nanoTime();
    try (FunctionImageBuilder builder = FunctionImageBuilder.create(dockerConfig())) {
      builder.build(FunctionImageSpec.builder(OK_IMAGE, ok, OkFunction.class.getName())
          .classpath(List.of(sdk, protobuf)).labels(LABELS).build());
      builder.build(FunctionImageSpec.builder(ECHO_IMAGE, echo, EchoServer.class.getName()).labels(LABELS).build());
    }
    log("images %s and %s ready in %.1f s", OK_IMAGE, ECHO_IMAGE, (System.nanoTime() - t0) / 1e9);
  }

  private String startEcho(DockerClient docker) {
    String id = docker.createContainerCmd(ECHO_IMAGE)
        .withName("ldd-" + daemonId + "-echo")
        .withLabels(Map.of("ldd-bench", "full-path-baseline"))
        .withEnv("LDD_PORT=8080")
        .withExposedPorts(ExposedPort.tcp(8080))
        .withHostConfig(HostConfig.newHostConfig()
            .withPortBindings(new PortBinding(Ports.Binding.bindIp("127.0.0.1"), ExposedPort.tcp(8080))))
        .exec().getId();
    docker.startContainerCmd(id).exec();
    return id;
  }

  private static int publishedPort(DockerClient docker, String id) {
    return Integer.parseInt(docker.inspectContainerCmd(id).exec().getNetworkSettings().getPorts().getBindings()
        .get(ExposedPort.tcp(8080))[0].getHostPortSpec());
  }

  /** Docker's proxy accepts before the server listens: wait until a byte comes back. */
  private static void awaitEcho(int port) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
        s.setSoTimeout(1000);
        OutputStream out = s.getOutputStream();
        out.write(1);
        out.flush();
        if (s.getInputStream().read() == 1) {
          return;
        }
      } catch (IOException e) {
        // not yet
      }
      Thread.sleep(20);
    }
    throw new IllegalStateException("the echo container did not answer on port " + port);
  }

  /** A jar of one class, with fixed entry times so that the image's content hash is stable. */
  private static Path classJar(Path jar, Class<?> main) throws IOException {
    String entry = main.getName().replace('.', '/') + ".class";
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, main.getName());
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (JarOutputStream out = new JarOutputStream(bytes);
         InputStream in = main.getClassLoader().getResourceAsStream(entry)) {
      put(out, "META-INF/MANIFEST.MF", w -> manifest.write(w));
      put(out, entry, in::transferTo);
    }
    Files.write(jar, bytes.toByteArray());
    return jar;
  }

  /** The classes under {@code prefix} from wherever {@code anchor} was loaded (a jar or a directory). */
  private static Path slimJar(Path jar, Class<?> anchor, String prefix) throws Exception {
    Path location = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (JarOutputStream out = new JarOutputStream(bytes)) {
      if (Files.isDirectory(location)) {
        try (var files = Files.walk(location)) {
          for (Path p : files.filter(Files::isRegularFile).sorted().toList()) {
            String name = location.relativize(p).toString().replace('\\', '/');
            if (name.startsWith(prefix)) {
              put(out, name, w -> Files.copy(p, w));
            }
          }
        }
      } else {
        try (JarFile in = new JarFile(location.toFile())) {
          List<JarEntry> entries = new ArrayList<>();
          for (Enumeration<JarEntry> en = in.entries(); en.hasMoreElements(); ) {
            JarEntry e = en.nextElement();
            if (!e.isDirectory() && e.getName().startsWith(prefix)) {
              entries.add(e);
            }
          }
          entries.sort((a, b) -> a.getName().compareTo(b.getName()));
          for (JarEntry e : entries) {
            put(out, e.getName(), w -> {
              try (InputStream is = in.getInputStream(e)) {
                is.transferTo(w);
              }
            });
          }
        }
      }
    }
    Files.write(jar, bytes.toByteArray());
    return jar;
  }

  private interface Body {
    void write(OutputStream out) throws IOException;
  }

  private static void put(JarOutputStream out, String name, Body body) throws IOException {
    JarEntry e = new JarEntry(name);
    e.setTime(1_700_000_000_000L);
    out.putNextEntry(e);
    body.write(out);
    out.closeEntry();
  }

  // ------------------------------------------------------------------ helpers

  private static void add(Map<String, List<Long>> out, String key, long nanos) {
    out.computeIfAbsent(key, k -> new ArrayList<>()).add(nanos);
  }

  private static double pct(List<Long> values, double p) {
    long[] a = values.stream().mapToLong(Long::longValue).toArray();
    return Figures.pct(a, a.length, p);
  }

  private static void log(String format, Object... args) {
    System.out.printf(Locale.ROOT, "# " + format + "%n", args);
    System.out.flush();
  }
}
