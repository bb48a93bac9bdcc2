package dev.ldd.wire.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ldd.core.InstanceLostException;
import dev.ldd.core.InvocationTimeoutException;
import dev.ldd.core.PlatformException;
import dev.ldd.core.ProtocolException;
import dev.ldd.core.model.Invocation;
import dev.ldd.core.model.InvocationResult;
import dev.ldd.core.model.ResultCode;
import dev.ldd.core.spi.Endpoint;
import dev.ldd.core.spi.FunctionConnection;
import dev.ldd.core.spi.InboundMessage;
import dev.ldd.core.spi.Publication;
import dev.ldd.core.spi.PublicationSink;
import dev.ldd.core.spi.ReadyInfo;
import dev.ldd.wire.conformance.ConformanceFunction;
import dev.ldd.wire.proto.Frame;
import dev.ldd.wire.sdk.Handler;
import dev.ldd.wire.sdk.LddFunction;
import dev.ldd.wire.sdk.Result;
import dev.ldd.wire.testing.ChildJvm;
import dev.ldd.wire.testing.FakeWrapper;
import dev.ldd.wire.testing.InProcessWrapper;
import dev.ldd.wire.testing.Invocations;
import dev.ldd.wire.testing.Peer;
import dev.ldd.wire.testing.RecordingSink;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TcpFunctionTransportTest {
  private static final Duration START = Duration.ofSeconds(10);

  private final TcpFunctionTransport transport = TcpFunctionTransport.builder().build();
  private final List<AutoCloseable> cleanup = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    transport.close();
    for (AutoCloseable c : cleanup) {
      c.close();
    }
  }

  private InProcessWrapper wrapper(Handler handler, int concurrency) {
    InProcessWrapper w = new InProcessWrapper("conformance", handler, concurrency);
    cleanup.add(w);
    return w;
  }

  private FunctionConnection connect(InProcessWrapper w, PublicationSink sink) throws Exception {
    return transport.connect("enrich-3", w.endpoint(), START, sink).get(10, TimeUnit.SECONDS);
  }

  private static InvocationResult await(CompletableFuture<InvocationResult> f) throws Exception {
    return f.get(10, TimeUnit.SECONDS);
  }

  @Test
  void handshakeAnnouncesVersionFunctionAndConcurrency() throws Exception {
    FunctionConnection c = connect(wrapper(new ConformanceFunction(), 16), RecordingSink.accepting());
    ReadyInfo ready = c.ready();
    assertThat(ready.protocolVersion()).isEqualTo("1.0");
    assertThat(ready.function()).isEqualTo("conformance");
    assertThat(ready.maxConcurrency()).isEqualTo(16);
    assertThat(ready.runtimeInfo()).startsWith("java ");
  }

  @Test
  void resultsCarryTheFunctionsCodeAndError() throws Exception {
    FunctionConnection c = connect(wrapper(new ConformanceFunction(), 4), RecordingSink.accepting());
    assertThat(await(c.invoke(Invocations.of("conformance/echo", "x")))).isEqualTo(InvocationResult.ok());
    assertThat(await(c.invoke(Invocations.of("conformance/error", "boom")))).isEqualTo(InvocationResult.error("boom"));
    assertThat(await(c.invoke(Invocations.of("conformance/reject", "poison")))).isEqualTo(InvocationResult.reject("poison"));
  }

  @Test
  void everyMessageFieldReachesTheFunction() throws Exception {
    CompletableFuture<dev.ldd.wire.sdk.Invocation> seen = new CompletableFuture<>();
    FunctionConnection c = connect(wrapper((inv, ctx) -> {
      seen.complete(inv);
      return Result.ok();
    }, 1), RecordingSink.accepting());
    InboundMessage m = new InboundMessage("orders", "orders/eu/created", new byte[] {1, 2, 3}, Map.of("k", "v"),
        "m-1", "c-1", "replies/x", true, OptionalInt.empty());
    Instant deadline = Instant.now().plusSeconds(30);
    Invocation invocation = Invocations.of(m, deadline);
    assertThat(await(c.invoke(invocation)).isOk()).isTrue();

    dev.ldd.wire.sdk.Invocation inv = seen.get(5, TimeUnit.SECONDS);
    assertThat(inv.id()).isEqualTo(invocation.id());
    assertThat(inv.topic()).isEqualTo("orders/eu/created");
    assertThat(inv.payload()).containsExactly(1, 2, 3);
    assertThat(inv.properties()).isEqualTo(Map.of("k", "v"));
    assertThat(inv.messageId()).isEqualTo("m-1");
    assertThat(inv.correlationId()).isEqualTo("c-1");
    assertThat(inv.replyTo()).isEqualTo("replies/x");
    assertThat(inv.redelivered()).isTrue();
    assertThat(inv.deliveryCount()).isEmpty();
    assertThat(inv.deadline()).isEqualTo(Instant.ofEpochMilli(deadline.toEpochMilli()));
  }

  @Test
  void publicationsReachTheSinkBeforeTheResultAndTheFunctionLearnsTheyWereTaken() throws Exception {
    RecordingSink sink = RecordingSink.accepting();
    FunctionConnection c = connect(wrapper(new ConformanceFunction(), 4), sink);
    Invocation inv = Invocations.of("conformance/publish", "hello", Map.of("topic", "out/1", "k", "v"), Duration.ofSeconds(10));
    assertThat(await(c.invoke(inv))).isEqualTo(InvocationResult.ok());
    assertThat(sink.published()).hasSize(1);
    RecordingSink.Published p = sink.published().get(0);
    assertThat(p.invocationId()).isEqualTo(inv.id());
    Publication pub = p.publication();
    assertThat(pub.topic()).isEqualTo("out/1");
    assertThat(new String(pub.payload(), StandardCharsets.UTF_8)).isEqualTo("hello");
    assertThat(pub.properties()).containsEntry("k", "v");
    assertThat(pub.correlationId()).isNull();
  }

  @Test
  void aRefusedPublicationIsReportedToTheFunction() throws Exception {
    FunctionConnection c = connect(wrapper(new ConformanceFunction(), 4), RecordingSink.refusing("bus is full"));
    InvocationResult r = await(c.invoke(
        Invocations.of("conformance/publish", "hello", Map.of("topic", "out/1"), Duration.ofSeconds(10))));
    assertThat(r.code()).isEqualTo(ResultCode.ERROR);
    assertThat(r.error()).contains("refused").contains("bus is full");
  }

  @Test
  void aReplyGoesToReplyToWithTheCorrelationId() throws Exception {
    RecordingSink sink = RecordingSink.accepting();
    FunctionConnection c = connect(wrapper(new ConformanceFunction(), 4), sink);
    InboundMessage m = new InboundMessage("q", "conformance/reply", "answer".getBytes(StandardCharsets.UTF_8),
        Map.of(), null, "corr-7", "replies/7", false, OptionalInt.of(1));
    assertThat(await(c.invoke(Invocations.of(m, Instant.now().plusSeconds(10))))).isEqualTo(InvocationResult.ok());
    Publication reply = sink.published().get(0).publication();
    assertThat(reply.topic()).isEqualTo("replies/7");
    assertThat(reply.correlationId()).isEqualTo("corr-7");
  }

  @Test
  void connectionsShareTheTransportsSelectorThreadsAndHaveNoThreadsOfTheirOwn() throws Exception {
    TcpFunctionTransport shared = TcpFunctionTransport.builder().ioThreads(2).build();
    cleanup.add(shared::close);
    List<FunctionConnection> connections = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      connections.add(shared.connect("many-" + i, wrapper(new ConformanceFunction(), 64).endpoint(), START,
          RecordingSink.accepting()).get(10, TimeUnit.SECONDS));
    }
    List<CompletableFuture<InvocationResult>> results = new ArrayList<>();
    for (FunctionConnection c : connections) {
      for (int i = 0; i < 50; i++) {
        results.add(c.invoke(Invocations.of("conformance/echo", "x" + i)));
      }
    }
    for (CompletableFuture<InvocationResult> r : results) {
      assertThat(await(r)).isEqualTo(InvocationResult.ok());
    }
    // The connect threads end once Ready has arrived; no thread stays for any one connection.
    Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().contains("many-")));
    assertThat(Thread.getAllStackTraces().keySet().stream().map(Thread::getName))
        .contains("ldd-wire-io-0", "ldd-wire-io-1");
  }

  @Test
  void aThousandInvocationsMultiplexOnOneConnectionAndComeBackOutOfOrderToTheRightCaller() throws Exception {
    int concurrency = 64;
    AtomicInteger running = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    List<String> finishOrder = java.util.Collections.synchronizedList(new ArrayList<>());
    FunctionConnection c = connect(wrapper((inv, ctx) -> {
      peak.accumulateAndGet(running.incrementAndGet(), Math::max);
      String text = new String(inv.payload(), StandardCharsets.UTF_8);
      Thread.sleep(new Random(text.hashCode()).nextInt(4)); // simulated work of 0-3 ms
      running.decrementAndGet();
      finishOrder.add(text);
      return Result.reject(text); // the error text tells which invocation this result answers
    }, concurrency), RecordingSink.accepting());
    assertThat(c.ready().maxConcurrency()).isEqualTo(concurrency);

    Semaphore window = new Semaphore(concurrency); // the engine keeps within maxConcurrency
    List<CompletableFuture<InvocationResult>> results = new ArrayList<>();
    List<String> sentOrder = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      assertThat(window.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
      String text = "call-" + i;
      sentOrder.add(text);
      CompletableFuture<InvocationResult> f = c.invoke(Invocations.of("t", text));
      f.whenComplete((r, e) -> window.release());
      results.add(f);
    }
    for (int i = 0; i < 1000; i++) {
      assertThat(await(results.get(i))).isEqualTo(InvocationResult.reject("call-" + i));
    }
    assertThat(peak.get()).isGreaterThan(1);
    assertThat(finishOrder).hasSize(1000).isNotEqualTo(sentOrder);
  }

  @Test
  void anInvocationPastItsDeadlineFailsWithTimeoutAndItsLateResultIsHarmless() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    FunctionConnection c = connect(wrapper((inv, ctx) -> {
      if (inv.topic().equals("slow")) {
        release.await();
      }
      return Result.ok();
    }, 1), RecordingSink.accepting());

    CompletableFuture<InvocationResult> slow = c.invoke(Invocations.of("slow", "", Map.of(), Duration.ofMillis(200)));
    assertThatThrownBy(() -> slow.get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(InvocationTimeoutException.class)
        .hasMessageContaining("enrich-3").hasMessageContaining("deadline");

    release.countDown(); // concurrency 1: the late result is sent before the next invocation's
    assertThat(await(c.invoke(Invocations.of("fast", "")))).isEqualTo(InvocationResult.ok());
    assertThat(c.closed()).isNotDone();
  }

  @Test
  void aPublicationAfterTheDeadlineIsRefusedWithoutBreakingTheConnection() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<String> publishOutcome = new CompletableFuture<>();
    RecordingSink sink = RecordingSink.accepting();
    FunctionConnection c = connect(wrapper((inv, ctx) -> {
      if (inv.topic().equals("slow")) {
        release.await();
        try {
          ctx.publish("out", new byte[0], Map.of());
          publishOutcome.complete("accepted");
        } catch (dev.ldd.wire.sdk.PublishException e) {
          publishOutcome.complete(e.getMessage());
        }
      }
      return Result.ok();
    }, 1), sink);

    CompletableFuture<InvocationResult> slow = c.invoke(Invocations.of("slow", "", Map.of(), Duration.ofMillis(100)));
    assertThatThrownBy(() -> slow.get(5, TimeUnit.SECONDS)).cause().isInstanceOf(InvocationTimeoutException.class);
    release.countDown();

    assertThat(publishOutcome.get(5, TimeUnit.SECONDS)).contains("refused").contains("passed its deadline");
    assertThat(sink.published()).isEmpty();
    assertThat(await(c.invoke(Invocations.of("fast", "")))).isEqualTo(InvocationResult.ok());
  }

  @Test
  void anInvocationTooLargeForAFrameFailsAloneAndTheConnectionCarriesOn() throws Exception {
    try (TcpFunctionTransport small = TcpFunctionTransport.builder().maxFrameBytes(1024).build()) {
      FunctionConnection c = small.connect("enrich-3", wrapper(new ConformanceFunction(), 1).endpoint(), START,
          RecordingSink.accepting()).get(10, TimeUnit.SECONDS);
      CompletableFuture<InvocationResult> big = c.invoke(Invocations.of("conformance/echo", "x".repeat(2000)));
      assertThatThrownBy(() -> big.get(5, TimeUnit.SECONDS)).cause()
          .isInstanceOf(dev.ldd.core.LddException.class)
          .hasMessageContaining("enrich-3").hasMessageContaining("exceeds the maximum frame size of 1024 bytes");
      assertThat(await(c.invoke(Invocations.of("conformance/echo", "small")))).isEqualTo(InvocationResult.ok());
    }
  }

  @Test
  void aDeadlineAlreadyPassedOnTheTransportsClockFailsAtOnceWithoutCallingTheFunction() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    try (TcpFunctionTransport late = TcpFunctionTransport.builder()
        .clock(Clock.offset(Clock.systemUTC(), Duration.ofHours(1))).build()) {
      InProcessWrapper w = wrapper((inv, ctx) -> {
        calls.incrementAndGet();
        return Result.ok();
      }, 1);
      FunctionConnection c = late.connect("enrich-3", w.endpoint(), START, RecordingSink.accepting()).get(10, TimeUnit.SECONDS);
      CompletableFuture<InvocationResult> f = c.invoke(Invocations.of("t", "", Map.of(), Duration.ofMinutes(1)));
      assertThat(f).isCompletedExceptionally();
      assertThatThrownBy(f::get).cause().isInstanceOf(InvocationTimeoutException.class).hasMessageContaining("passed before it was sent");
      assertThat(calls).hasValue(0);
    }
  }

  @Test
  void closingTheConnectionFailsWhatIsInFlightAndEndsTheWrapper() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    InProcessWrapper w = wrapper((inv, ctx) -> {
      started.countDown();
      new CountDownLatch(1).await(); // until interrupted
      return Result.ok();
    }, 2);
    FunctionConnection c = connect(w, RecordingSink.accepting());
    CompletableFuture<InvocationResult> inFlight = c.invoke(Invocations.of("t", ""));
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

    c.close();

    assertThatThrownBy(() -> inFlight.get(5, TimeUnit.SECONDS)).cause().isInstanceOf(InstanceLostException.class)
        .hasMessageContaining("enrich-3");
    c.closed().get(5, TimeUnit.SECONDS);
    assertThat(w.exit().get(10, TimeUnit.SECONDS)).isIn(LddFunction.Exit.DAEMON_CLOSED, LddFunction.Exit.CONNECTION_LOST);
    CompletableFuture<InvocationResult> afterClose = c.invoke(Invocations.of("t", ""));
    assertThat(afterClose).isCompletedExceptionally();
    assertThatThrownBy(afterClose::get).cause().isInstanceOf(InstanceLostException.class).hasMessageContaining("closed");
  }

  @Test
  @SuppressWarnings("try") // the peer must stay open while the daemon talks to it
  void connectRetriesConnectionsThatAreAcceptedAndDroppedUntilReadyArrives() throws Exception {
    try (FakeWrapper proxy = new FakeWrapper()) {
      CompletableFuture<FunctionConnection> f = transport.connect("enrich-3", proxy.endpoint(), START, RecordingSink.accepting());
      for (int i = 0; i < 3; i++) {
        proxy.accept().close(); // what Docker's port proxy does before the process inside listens
      }
      assertThat(f).isNotDone();
      try (Peer peer = proxy.acceptReady("enrich", 2)) {
        assertThat(f.get(10, TimeUnit.SECONDS).ready().function()).isEqualTo("enrich");
      }
    }
  }

  @Test
  void connectRetriesUntilTheWrapperStartsListening() throws Exception {
    int port = ChildJvm.freePort();
    CompletableFuture<FunctionConnection> f =
        transport.connect("enrich-3", new Endpoint("127.0.0.1", port), START, RecordingSink.accepting());
    LddFunction fn = LddFunction.builder("late", (inv, ctx) -> Result.ok()).port(port)
        .address(java.net.InetAddress.getLoopbackAddress()).build();
    cleanup.add(fn);
    Thread t = new Thread(fn::run);
    t.setDaemon(true);
    t.start();
    assertThat(f.get(10, TimeUnit.SECONDS).ready().function()).isEqualTo("late");
  }

  @Test
  @SuppressWarnings("try") // the peer must stay open while the daemon talks to it
  void connectFailsWithPlatformExceptionWhenNoReadyArrivesInTime() throws Exception {
    try (FakeWrapper silent = new FakeWrapper()) {
      CompletableFuture<FunctionConnection> f =
          transport.connect("enrich-3", silent.endpoint(), Duration.ofMillis(300), RecordingSink.accepting());
      try (Peer peer = silent.accept()) {
        assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).cause().isInstanceOf(PlatformException.class)
            .hasMessageContaining("instance enrich-3").hasMessageContaining("no Ready frame within PT0.3S");
      }
    }
  }

  @Test
  void connectFailsWithPlatformExceptionWhenNothingListens() {
    CompletableFuture<FunctionConnection> f = transport.connect(
        "enrich-3", new Endpoint("127.0.0.1", ChildJvm.freePort()), Duration.ofMillis(300), RecordingSink.accepting());
    assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).cause().isInstanceOf(PlatformException.class)
        .hasMessageContaining("Connection refused");
  }

  @Test
  void anIncompatibleMajorVersionIsRefused() throws Exception {
    try (FakeWrapper fake = new FakeWrapper()) {
      CompletableFuture<FunctionConnection> f = transport.connect("enrich-3", fake.endpoint(), START, RecordingSink.accepting());
      try (Peer peer = fake.accept().send(FakeWrapper.ready(2, 0, "enrich", 1))) {
        assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).cause().isInstanceOf(ProtocolException.class)
            .hasMessage("instance enrich-3 speaks protocol 2.0; this daemon speaks 1.x");
        assertThat(peer.awaitClosed()).isTrue();
      }
    }
  }

  @Test
  @SuppressWarnings("try") // the peer must stay open while the daemon talks to it
  void aNewerMinorVersionIsAccepted() throws Exception {
    try (FakeWrapper fake = new FakeWrapper()) {
      CompletableFuture<FunctionConnection> f = transport.connect("enrich-3", fake.endpoint(), START, RecordingSink.accepting());
      try (Peer peer = fake.accept().send(FakeWrapper.ready(1, 7, "enrich", 1))) {
        assertThat(f.get(10, TimeUnit.SECONDS).ready().protocolVersion()).isEqualTo("1.7");
      }
    }
  }

  @Test
  @SuppressWarnings("try") // the peer must stay open while the daemon talks to it
  void aFirstFrameOtherThanReadyIsRefused() throws Exception {
    try (FakeWrapper fake = new FakeWrapper()) {
      CompletableFuture<FunctionConnection> f = transport.connect("enrich-3", fake.endpoint(), START, RecordingSink.accepting());
      try (Peer peer = fake.accept().send(Frame.newBuilder().setPong(dev.ldd.wire.proto.Pong.getDefaultInstance()).build())) {
        assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).cause().isInstanceOf(ProtocolException.class)
            .hasMessageContaining("instance enrich-3 sent PONG as its first frame");
      }
    }
  }

  @Test
  void aLiveWrapperBusyForManyPingIntervalsStaysConnected() throws Exception {
    try (TcpFunctionTransport pinging = TcpFunctionTransport.builder().pingInterval(Duration.ofMillis(200)).build()) {
      FunctionConnection c = pinging.connect("enrich-3", wrapper(new ConformanceFunction(), 1).endpoint(), START,
          RecordingSink.accepting()).get(10, TimeUnit.SECONDS);
      assertThat(await(c.invoke(Invocations.of("conformance/sleep", "1200")))).isEqualTo(InvocationResult.ok());
      assertThat(c.closed()).isNotDone();
    }
  }

  @Test
  void aPeerThatStopsAnsweringIsDeclaredLostWithinThePingInterval() throws Exception {
    Duration interval = Duration.ofMillis(400);
    try (TcpFunctionTransport pinging = TcpFunctionTransport.builder().pingInterval(interval).build();
        FakeWrapper fake = new FakeWrapper()) {
      CompletableFuture<FunctionConnection> f = pinging.connect("enrich-3", fake.endpoint(), START, RecordingSink.accepting());
      try (Peer hung = fake.acceptReady("enrich", 1)) {
        FunctionConnection c = f.get(10, TimeUnit.SECONDS);
        long start = System.nanoTime();
        CompletableFuture<InvocationResult> inFlight = c.invoke(Invocations.of("t", ""));
        assertThatThrownBy(() -> inFlight.get(10, TimeUnit.SECONDS)).cause().isInstanceOf(InstanceLostException.class)
            .hasMessageContaining("enrich-3").hasMessageContaining("pings unanswered");
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
        // noticed within one interval of the last frame (the Ready), plus scheduling slack
        assertThat(elapsedMillis).isLessThan(interval.toMillis() + 300);
        assertThat(hung.next().hasInvoke()).isTrue();
        assertThat(hung.next().hasPing()).isTrue();
      }
    }
  }
}
