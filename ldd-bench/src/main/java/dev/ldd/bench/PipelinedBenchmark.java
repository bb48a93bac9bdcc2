package dev.ldd.bench;

import dev.ldd.core.model.InvocationResult;
import java.io.IOException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Throughput with up to {@code concurrency} invocations in flight on one connection (the wrapper
 * declares that concurrency), beside a raw socket pipelining 256-byte frames to an echo with the same
 * window. One operation is one invocation (or frame) sent; the window makes it wait for answers.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Threads(1)
public class PipelinedBenchmark {
  @Param({"1", "16", "256"})
  public int concurrency;

  private LddLoopback ldd;
  private RawEcho raw;
  private Semaphore window;
  private final AtomicLong failures = new AtomicLong();
  private BiConsumer<InvocationResult, Throwable> release;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    window = new Semaphore(concurrency);
    release = (r, e) -> {
      if (e != null || !r.isOk()) {
        failures.incrementAndGet();
      }
      window.release();
    };
    ldd = new LddLoopback(concurrency);
    raw = new RawEcho();
    Thread reader = new Thread(() -> {
      try {
        while (true) {
          raw.readAnswer();
          window.release();
        }
      } catch (IOException e) {
        // closed at tear-down
      }
    }, "bench-raw-reader");
    reader.setDaemon(true);
    reader.start();
  }

  @TearDown(Level.Iteration)
  public void drain() throws Exception {
    raw.out.flush();
    if (!window.tryAcquire(concurrency, 10, TimeUnit.SECONDS)) {
      throw new IllegalStateException("answers missing after the iteration");
    }
    window.release(concurrency);
    if (failures.get() > 0) {
      throw new IllegalStateException(failures.get() + " invocations failed");
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    ldd.close();
    raw.close();
  }

  @Benchmark
  public void ldd() throws InterruptedException {
    window.acquire();
    ldd.connection.invoke(ldd.nextInvocation()).whenComplete(release);
  }

  @Benchmark
  public void raw() throws Exception {
    if (!window.tryAcquire()) {
      raw.out.flush(); // the window is full: send what is buffered, then wait for answers
      window.acquire();
    }
    raw.out.write(raw.frame);
  }
}
