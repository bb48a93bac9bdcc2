package dev.ldd.bench;

import dev.ldd.core.model.Invocation;
import dev.ldd.core.model.InvocationResult;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One invocation there and back (Invoke of a 256-byte payload, Result back) through
 * TcpFunctionTransport and the Java wrapper, beside a raw socket ping-pong of a 256-byte frame.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Threads(1)
public class RoundTripBenchmark {
  private LddLoopback ldd;
  private RawEcho raw;
  private Invocation invocation;

  @Setup
  public void setUp() throws Exception {
    ldd = new LddLoopback(1);
    raw = new RawEcho();
    invocation = ldd.nextInvocation(); // one at a time, so one id serves every round trip
  }

  @TearDown
  public void tearDown() throws Exception {
    ldd.close();
    raw.close();
  }

  @Benchmark
  public InvocationResult ldd() {
    return ldd.connection.invoke(invocation).join();
  }

  @Benchmark
  public int raw() throws Exception {
    return raw.pingPong();
  }
}
