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
 */
public final class FirstInvocationProbe {
  private FirstInvocationProbe() {}

  static Process start(int port) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(System.getProperty("java.home") + "/bin/java", "-XX:+UseSerialGC", "-Xshare:auto",
        "-cp", System.getProperty("java.class.path"), dev.ldd.bench.fn.OkFunction.class.getName());
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
    for (int k = 0; k < 3; k++) {
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
      c.close(); p.destroy(); p.waitFor();
    }
    System.exit(0);
  }
}
