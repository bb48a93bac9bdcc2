package dev.ldd.bench;

import dev.ldd.wire.transport.TcpFunctionTransport;
import dev.ldd.core.spi.*;
import dev.ldd.core.model.*;
import java.time.*;
import java.util.*;
import java.util.concurrent.*;
/**
 * Whose is the first-invocation cost? One transport, warmed on a first function process, then fresh
 * function processes: if their first invocation is still slow, the cost is on the function's side.
 * {@code java -cp ldd-bench/target/benchmarks.jar dev.ldd.bench.FirstInvocationProbe}
 *
 * <p>{@code -Dprobe.instances=N} (default 3) function processes; {@code -Dprobe.jvmArgs="..."} extra flags
 * of the function JVMs ({@code %i} becomes the instance's port, e.g. for a log file). The control line per
 * instance: the same, by then warm, instance after as long idle (200 ms) as the first invocation was,
 * which is the floor a prewarmed first message can reach (an idle wake-up on both sides).
 */
public final class FirstInvocationProbe {
  private FirstInvocationProbe() {}

  static Process start(int port) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(System.getProperty("java.home") + "/bin/java", "-XX:+UseSerialGC", "-Xshare:auto"));
    String extra = System.getProperty("probe.jvmArgs", "").replace("%i", Integer.toString(port));
    if (!extra.isBlank()) {
      cmd.addAll(Arrays.asList(extra.trim().split("\\s+")));
    }
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), dev.ldd.bench.fn.OkFunction.class.getName()));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("LDD_PORT", Integer.toString(port));
    pb.environment().put("LDD_BENCH_CONCURRENCY", "1");
    return pb.inheritIO().start();
  }
  static FunctionConnection connect(TcpFunctionTransport t, int port) throws Exception {
    return t.connect("x", new Endpoint("127.0.0.1", port), Duration.ofSeconds(30), (id,p)->CompletableFuture.completedFuture(null)).get(30, TimeUnit.SECONDS);
  }
  public static void main(String[] a) throws Exception {
    var t = TcpFunctionTransport.create();
    var m = new InboundMessage("q","t",new byte[256],Map.of(),"m1",null,null,false,OptionalInt.of(1));
    int instances = Integer.getInteger("probe.instances", 3);
    for (int k = 0; k < instances; k++) {
      int port = 19100 + k;
      Process p = start(port);
      var c = connect(t, port);
      Thread.sleep(200);
      long[] times = new long[20000];
      for (int i = 0; i < times.length; i++) {
        long t0 = System.nanoTime();
        c.invoke(new Invocation(k + "-" + i, "ok", m, Instant.now().plusSeconds(10))).get(10, TimeUnit.SECONDS);
        times[i] = System.nanoTime() - t0;
      }
      System.out.printf("instance %d: first %.1f ms, second %.2f ms, 10th %.2f ms, last %.3f ms%n", k, times[0]/1e6, times[1]/1e6, times[9]/1e6, times[19999]/1e6);
      // The control: the same, now warm, instance after as long idle as the first invocation was.
      StringBuilder idle = new StringBuilder();
      for (int i = 0; i < 5; i++) {
        Thread.sleep(200);
        long t0 = System.nanoTime();
        c.invoke(new Invocation(k + "-idle-" + i, "ok", m, Instant.now().plusSeconds(10))).get(10, TimeUnit.SECONDS);
        idle.append(String.format(" %.2f", (System.nanoTime() - t0) / 1e6));
      }
      System.out.printf("instance %d: warm, after 200 ms idle:%s ms%n", k, idle);
      c.close(); p.destroy(); p.waitFor();
    }
    System.exit(0);
  }
}
