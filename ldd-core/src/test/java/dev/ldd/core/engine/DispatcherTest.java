package dev.ldd.core.engine;

import static dev.ldd.core.engine.EngineFixture.QUEUE;
import static dev.ldd.core.engine.EngineFixture.fn;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ldd.core.Disposition;
import dev.ldd.core.DrainReport;
import dev.ldd.core.NoRoutePolicy;
import dev.ldd.core.model.DeadLetterPolicy;
import dev.ldd.core.model.InvocationResult;
import dev.ldd.core.model.PublishMode;
import dev.ldd.core.policy.DeadLetters;
import dev.ldd.core.routing.Route;
import dev.ldd.core.spi.InboundMessage;
import dev.ldd.core.spi.Publication;
import dev.ldd.core.testing.FakeFunction;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DispatcherTest {
  private final EngineFixture f = new EngineFixture();

  @AfterEach
  void stop() {
    if (f.dispatcher != null && f.dispatcher.isRunning()) {
      f.dispatcher.stopAsync();
      f.clock.advance(Duration.ofMinutes(5));
      f.dispatcher.awaitTerminated();
    }
  }

  @Test
  void successAcceptsOnlyAfterPublicationsAreConfirmed() {
    f.queue("out", "out/>");
    FakeFunction.Manual fun = FakeFunction.manual();
    f.transport.behaviour("enrich", fun);
    f.startOne(fn("enrich").build());

    f.publish("in/order");
    FakeFunction.Pending call = fun.next();
    f.broker.holdConfirmations(true);
    assertThat(call.call().publish(new Publication("out/derived", "d".getBytes(), Map.of()))).isCompleted();
    call.ok();

    assertThat(f.stats().accepted()).isZero();
    assertThat(f.stats().unsettled()).isEqualTo(1);
    assertThat(f.broker.stats("out").depth()).isZero();

    f.broker.releaseConfirmations();

    assertThat(f.stats().accepted()).isEqualTo(1);
    assertThat(f.stats().unsettled()).isZero();
    assertThat(f.broker.browse("out")).extracting(InboundMessage::topic).containsExactly("out/derived");
  }

  @Test
  void aFailedPublicationFailsTheMessageAndKeepsTheInstance() {
    EngineFixture g = new EngineFixture(1);
    g.transport.behaviour("enrich", FakeFunction.publishThenOk(new Publication("out/x", new byte[0], Map.of())));
    g.broker.refusePublications(p -> p.topic().startsWith("out/"));
    g.startOne(fn("enrich").maxDeliveries(1).build());

    g.publish("in/1");

    // Failed, not dead-lettered although maxDeliveries is 1: the publication failure is not the function's.
    // The bus redelivered it once, then its own bound moved it to the dead-message queue.
    assertThat(g.settled(Disposition.FAILED)).hasSize(2)
        .allSatisfy(s -> assertThat(s.reason()).contains("publication failed"));
    assertThat(g.settled(Disposition.DEAD_LETTERED_REJECT)).isEmpty();
    assertThat(g.events("stopped")).isEmpty();
    g.dispatcher.stopAsync().awaitTerminated();
  }

  @Test
  void bufferedPublicationsOfAFailedAttemptAreNeverSent() {
    f.queue("out", "out/>");
    f.transport.behaviour("f", FakeFunction.publishThen(
        List.of(new Publication("out/leak", new byte[0], Map.of())), InvocationResult.error("boom")));
    f.start(List.of(fn("f").maxDeliveries(2).build()), List.of(Route.of(QUEUE, "in/>", "f")));

    f.publish("in/1");

    assertThat(f.settled(Disposition.DEAD_LETTERED_REJECT)).hasSize(1);
    assertThat(f.broker.stats("out").depth()).isZero();
  }

  @Test
  void immediateModeSendsPublicationsAtOnceAndStillAcceptsOnlyAfterConfirmation() {
    f.queue("out", "out/>");
    FakeFunction.Manual fun = FakeFunction.manual();
    f.transport.behaviour("f", fun);
    f.startOne(fn("f").publishMode(PublishMode.IMMEDIATE).build());

    f.publish("in/1");
    FakeFunction.Pending call = fun.next();
    call.call().publish(new Publication("out/now", new byte[0], Map.of())).join();

    assertThat(f.broker.stats("out").depth()).isEqualTo(1);
    f.broker.holdConfirmations(true);
    var second = call.call().publish(new Publication("out/later", new byte[0], Map.of()));
    call.ok();
    assertThat(second).isNotDone();
    assertThat(f.stats().accepted()).isZero();

    f.broker.releaseConfirmations();
    assertThat(f.stats().accepted()).isEqualTo(1);
  }

  @Test
  void errorKillsTheInstanceAndFailsTheMessage() {
    FakeFunction.Manual fun = FakeFunction.manual();
    f.transport.behaviour("f", fun);
    f.startOne(fn("f").maxDeliveries(5).build());

    f.publish("in/1");
    FakeFunction.Pending first = fun.next();
    first.answer(InvocationResult.error("boom"));

    assertThat(f.events("stopped")).containsExactly("stopped f-1 ERROR_RESULT");
    assertThat(f.runtime.kills()).isEqualTo(1);
    assertThat(f.stats().failed()).isEqualTo(1);
    // Redelivered by the bus, to a new instance.
    FakeFunction.Pending again = fun.next();
    assertThat(again.call().instanceId()).isEqualTo("f-2");
    assertThat(again.call().invocation().message().redelivered()).isTrue();
    assertThat(again.call().invocation().message().deliveryCount()).hasValue(2);
  }

  @Test
  void errorKeepsTheInstanceWhenKillOnErrorIsOff() {
    f.transport.behaviour("f", FakeFunction.error("boom"));
    f.startOne(fn("f").killOnError(false).maxDeliveries(3).build());

    f.publish("in/1");

    assertThat(f.events("stopped")).isEmpty();
    assertThat(f.events("starting")).hasSize(1);
    assertThat(f.stats().failed()).isEqualTo(2);
  }

  @Test
  void aMessageThatKeepsFailingIsDeadLetteredAtMaxDeliveriesWithItsReason() {
    f.transport.behaviour("f", FakeFunction.error("database unreachable"));
    f.startOne(fn("f").maxDeliveries(3).build());

    f.publish("in/1");

    assertThat(f.stats().failed()).isEqualTo(2);
    assertThat(f.broker.deadMessages()).singleElement()
        .satisfies(d -> assertThat(d.message().deliveryCount()).hasValue(3));
    assertThat(f.settled(Disposition.DEAD_LETTERED_REJECT)).singleElement()
        .satisfies(s -> assertThat(s.reason()).contains("ERROR").contains("database unreachable")
            .contains("delivery 3 of at most 3"));
    assertThat(f.stats().accepted()).isZero();
  }

  @Test
  void withoutADeliveryCountTheRedeliveredFlagStandsIn() {
    f.transport.behaviour("f", FakeFunction.error("boom"));
    f.startOne(fn("f").maxDeliveries(2).build());
    var fail = new java.util.concurrent.atomic.AtomicInteger();
    var reject = new java.util.concurrent.atomic.AtomicInteger();
    dev.ldd.core.spi.Settlement counting = new dev.ldd.core.spi.Settlement() {
      public void accept() { }
      public void fail() { fail.incrementAndGet(); }
      public void reject() { reject.incrementAndGet(); }
    };
    // Fed straight to the engine's handler through a source of our own: no delivery count, flag only.
    InboundMessage first = new InboundMessage(QUEUE, "in/1", new byte[0], Map.of(), "m1", null, null, false,
        java.util.OptionalInt.empty());
    InboundMessage again = new InboundMessage(QUEUE, "in/1", new byte[0], Map.of(), "m1", null, null, true,
        java.util.OptionalInt.empty());
    EngineFixture g = new EngineFixture();
    var handler = new java.util.concurrent.atomic.AtomicReference<dev.ldd.core.spi.DeliveryHandler>();
    g.transport.behaviour("f", FakeFunction.error("boom"));
    g.start(List.of(fn("f").maxDeliveries(2).build()), List.of(Route.of(QUEUE, "in/>", "f")),
        b -> b.source(new RecordingSource(handler)));

    handler.get().onDelivery(new dev.ldd.core.spi.Delivery(first, counting));
    handler.get().onDelivery(new dev.ldd.core.spi.Delivery(again, counting));

    assertThat(fail).hasValue(1);
    assertThat(reject).hasValue(1);
    g.dispatcher.stopAsync().awaitTerminated();
  }

  @Test
  void deadLetteringToATopicPublishesTheOriginalWithItsErrorThenAccepts() {
    f.queue("dlq", "dead/>");
    f.transport.behaviour("f", FakeFunction.reject("not an order"));
    f.startOne(fn("f").deadLetter(DeadLetterPolicy.toTopic("dead/f")).build());

    f.publish("in/7", "original");

    assertThat(f.stats().accepted()).isEqualTo(1);
    assertThat(f.broker.deadMessages()).isEmpty();
    InboundMessage copy = f.broker.browse("dlq").get(0);
    assertThat(new String(copy.payload())).isEqualTo("original");
    assertThat(copy.properties()).containsEntry(DeadLetters.FUNCTION, "f")
        .containsEntry(DeadLetters.CODE, "REJECT")
        .containsEntry(DeadLetters.ERROR, "not an order")
        .containsEntry(DeadLetters.DELIVERY_COUNT, "1")
        .containsEntry(DeadLetters.TOPIC, "in/7");
    assertThat(f.settled(Disposition.DEAD_LETTERED_TOPIC)).hasSize(1);
  }

  @Test
  void aDeadLetterTopicThatRefusesLeavesTheMessageFailedNotLost() {
    EngineFixture g = new EngineFixture(2);
    g.transport.behaviour("f", FakeFunction.reject("poison"));
    g.broker.refusePublications(p -> p.topic().startsWith("dead/"));
    g.startOne(fn("f").deadLetter(DeadLetterPolicy.toTopic("dead/f")).maxDeliveries(1).build());

    g.publish("in/1");

    // Failed back each time, until the bus's own bound moved it to its dead-message queue.
    assertThat(g.stats().accepted()).isZero();
    assertThat(g.settled(Disposition.FAILED)).hasSize(3)
        .allSatisfy(s -> assertThat(s.reason()).contains("dead-lettering to 'dead/f' failed"));
    assertThat(g.broker.deadMessages()).hasSize(1);
    g.dispatcher.stopAsync().awaitTerminated();
  }

  @Test
  void rejectDeadLettersAtOnceAndKeepsTheInstance() {
    f.transport.behaviour("f", FakeFunction.reject("poison"));
    f.startOne(fn("f").maxDeliveries(5).build());

    f.publish("in/1");
    f.publish("in/2");

    assertThat(f.broker.deadMessages()).hasSize(2);
    assertThat(f.stats().failed()).isZero();
    assertThat(f.events("starting")).hasSize(1);
    assertThat(f.events("stopped")).isEmpty();
  }

  @Test
  void deadlineExpiryKillsTheInstanceAndFailsTheMessage() {
    f.transport.behaviour("f", FakeFunction.hang());
    f.startOne(fn("f").invocationTimeout(Duration.ofSeconds(10)).build());

    f.publish("in/1");
    f.clock.advance(Duration.ofSeconds(9));
    assertThat(f.stats().failed()).isZero();

    f.clock.advance(Duration.ofSeconds(1));

    assertThat(f.events("stopped")).containsExactly("stopped f-1 DEADLINE");
    assertThat(f.stats().failed()).isEqualTo(1);
    assertThat(f.settled(Disposition.FAILED).get(0).reason()).contains("passed its deadline");
  }

  @Test
  void aCrashFailsExactlyTheInvocationsInFlightOnThatInstance() {
    FakeFunction.Manual fun = FakeFunction.manual();
    f.transport.behaviour("f", fun);
    f.startOne(fn("f").concurrency(2, 0, 2).build());
    for (int i = 0; i < 4; i++) {
      f.publish("in/" + i);
    }
    List<FakeFunction.Pending> calls = List.of(fun.next(), fun.next(), fun.next(), fun.next());
    assertThat(calls).extracting(c -> c.call().instanceId()).containsOnly("f-1", "f-2");

    f.runtime.crash("f-1");

    assertThat(f.stats().failed()).isEqualTo(2);
    assertThat(f.settled(Disposition.FAILED)).extracting(s -> s.message().topic())
        .containsExactlyInAnyOrderElementsOf(calls.stream().filter(c -> c.call().instanceId().equals("f-1"))
            .map(c -> c.call().invocation().message().topic()).toList());
    calls.stream().filter(c -> c.call().instanceId().equals("f-2")).forEach(FakeFunction.Pending::ok);
    assertThat(f.stats().accepted()).isEqualTo(2);
    assertThat(f.events("stopped")).containsExactly("stopped f-1 LOST");
  }

  @Test
  void aStartFailureHoldsTheMessageAndRetriesWithBackoffThenFailsWithoutBurningTheBudget() {
    f.runtime.failNextStarts(3, "engine unreachable");
    f.startOne(fn("f").maxDeliveries(1).build());

    f.publish("in/1");
    assertThat(f.runtime.starts()).isEqualTo(1);
    assertThat(f.stats().unsettled()).isEqualTo(1);

    f.clock.advance(Duration.ofMillis(99));
    assertThat(f.runtime.starts()).isEqualTo(1);
    f.clock.advance(Duration.ofMillis(1));
    assertThat(f.runtime.starts()).isEqualTo(2);
    assertThat(f.stats().failed()).isZero();
    f.clock.advance(Duration.ofMillis(200));
    assertThat(f.runtime.starts()).isEqualTo(3);

    // Three attempts: the bound. Given back with fail(), not dead-lettered, although maxDeliveries is 1.
    assertThat(f.settled(Disposition.FAILED)).singleElement()
        .satisfies(s -> assertThat(s.reason()).contains("platform fault").contains("engine unreachable"));
    assertThat(f.broker.deadMessages()).isEmpty();

    // The engine is back: the redelivered message is processed.
    f.clock.advance(Duration.ofMillis(400));
    assertThat(f.stats().accepted()).isEqualTo(1);
  }

  @Test
  void aStartThatRecoversWithinTheBoundProcessesTheHeldMessage() {
    f.runtime.failNextStarts(1, "engine busy");
    f.startOne(fn("f").build());

    f.publish("in/1");
    f.clock.advance(Duration.ofMillis(100));

    assertThat(f.stats().accepted()).isEqualTo(1);
    assertThat(f.stats().failed()).isZero();
  }

  @Test
  void anInstanceThatNeverGetsReadyIsKilledAtItsStartTimeout() {
    f.transport.neverReady("f");
    f.startOne(fn("f").startTimeout(Duration.ofSeconds(5)).build());

    f.publish("in/1");
    f.clock.advance(Duration.ofSeconds(5));

    assertThat(f.events("stopped")).contains("stopped f-1 START_FAILED");
    assertThat(f.runtime.running("f")).isEmpty();
    assertThat(f.stats().unsettled()).isEqualTo(1);
  }

  @Test
  void anUnknownImageIsAPlatformFault() {
    f.runtime.unknownImage("test/f:1");
    f.startOne(fn("f").build());

    f.publish("in/1");
    f.clock.advance(Duration.ofSeconds(1));

    assertThat(f.settled(Disposition.FAILED)).singleElement()
        .satisfies(s -> assertThat(s.reason()).contains("image 'test/f:1' not found"));
    assertThat(f.dispatcher.status().functions().get(0).lastErrors()).anySatisfy(e -> assertThat(e)
        .contains("not found"));
  }

  @Test
  void noRouteIsDeadLetteredByDefault() {
    f.start(List.of(fn("f").build()), List.of(Route.of(QUEUE, "in/a", "f")));

    f.publish("in/b");

    assertThat(f.broker.deadMessages()).singleElement()
        .satisfies(d -> assertThat(d.message().topic()).isEqualTo("in/b"));
    assertThat(f.settled(Disposition.DEAD_LETTERED_REJECT).get(0).reason()).contains("no route");
    assertThat(f.runtime.starts()).isZero();
  }

  @Test
  void noRouteIsAcceptedWhenThePolicySaysSo() {
    f.start(List.of(fn("f").build()), List.of(Route.of(QUEUE, "in/a", "f")),
        b -> b.noRoutePolicy(NoRoutePolicy.ACCEPT));

    f.publish("in/b");

    assertThat(f.stats().accepted()).isEqualTo(1);
    assertThat(f.settled(Disposition.ACCEPTED_NO_ROUTE)).hasSize(1);
  }

  @Test
  void theInFlightBoundIsNeverExceededAndTheSourceIsPausedInstead() {
    FakeFunction.Manual fun = FakeFunction.manual();
    f.transport.behaviour("f", fun);
    f.start(List.of(fn("f").concurrency(10, 0, 1).build()), List.of(Route.of(QUEUE, "in/>", "f")),
        b -> b.maxInFlight(4));
    int[] maxSeen = {0};

    for (int i = 0; i < 10; i++) {
      f.publish("in/" + i);
      maxSeen[0] = Math.max(maxSeen[0], f.dispatcher.inFlight());
    }
    assertThat(f.dispatcher.inFlight()).isEqualTo(4);
    assertThat(f.stats().depth()).isEqualTo(6);
    assertThat(f.events("paused")).isNotEmpty();

    while (fun.waiting() > 0) {
      fun.next().ok();
      maxSeen[0] = Math.max(maxSeen[0], f.dispatcher.inFlight());
    }

    assertThat(maxSeen[0]).isEqualTo(4);
    assertThat(f.stats().accepted()).isEqualTo(10);
    assertThat(f.events("resumed")).isNotEmpty();
  }

  @Test
  void warmInstancesAreReusedLeastLoadedFirst() {
    FakeFunction.Manual fun = FakeFunction.manual();
    f.transport.behaviour("f", fun);
    f.startOne(fn("f").concurrency(4, 0, 2).build());

    f.publish("in/1");
    fun.next().ok();
    f.publish("in/2");
    f.publish("in/3");

    assertThat(f.events("starting")).hasSize(1);
    assertThat(f.events("invoke")).containsExactly("invoke f-1 cold", "invoke f-1 warm", "invoke f-1 warm");
  }

  @Test
  void prewarmedInstancesServeTheFirstMessageWarm() {
    f.startOne(fn("f").concurrency(1, 2, 3).build());

    assertThat(f.dispatcher.prewarmed()).isCompleted();
    assertThat(f.events("starting")).containsExactly("starting f-1 prewarm", "starting f-2 prewarm");
    assertThat(f.events("ready")).allSatisfy(e -> assertThat(e).contains("[create, start, ready]"));

    f.publish("in/1");
    assertThat(f.events("invoke")).containsExactly("invoke f-1 warm");
  }

  @Test
  void theIdleReaperStopsIdleInstancesAndKeepsMinInstances() {
    FakeFunction.Manual fun = FakeFunction.manual();
    f.transport.behaviour("f", fun);
    f.start(List.of(fn("f").concurrency(1, 1, 3).idleTimeout(Duration.ofMinutes(1)).build()),
        List.of(Route.of(QUEUE, "in/>", "f")), b -> b.idleCheckInterval(Duration.ofSeconds(1)));
    for (int i = 0; i < 3; i++) {
      f.publish("in/" + i);
    }
    assertThat(f.runtime.running("f")).hasSize(3);
    while (fun.waiting() > 0) {
      fun.next().ok();
    }

    f.clock.advance(Duration.ofSeconds(59));
    assertThat(f.runtime.running("f")).hasSize(3);
    f.clock.advance(Duration.ofSeconds(2));

    assertThat(f.runtime.running("f")).hasSize(1);
    assertThat(f.events("stopped")).hasSize(2).allSatisfy(e -> assertThat(e).endsWith("IDLE"));
    f.clock.advance(Duration.ofMinutes(10));
    assertThat(f.runtime.running("f")).hasSize(1);
  }

  @Test
  void aLostInstanceThatHadServedIsReplacedAtOnce() {
    f.startOne(fn("f").concurrency(1, 1, 1).build());
    f.publish("in/1");

    f.runtime.crash("f-1");

    assertThat(f.runtime.running("f")).extracting(i -> i.instanceId()).containsExactly("f-2");
  }

  @Test
  void anInstanceLostBeforeServingAnythingIsReplacedOnlyAfterTheBackOff() {
    f.startOne(fn("f").concurrency(1, 1, 1).build());

    f.runtime.crash("f-1");
    assertThat(f.runtime.running("f")).isEmpty();
    f.clock.advance(Duration.ofMillis(100));
    assertThat(f.runtime.running("f")).extracting(i -> i.instanceId()).containsExactly("f-2");
    f.runtime.crash("f-2");
    f.clock.advance(Duration.ofMillis(100));
    assertThat(f.runtime.running("f")).as("the second delay is twice the first").isEmpty();
    f.clock.advance(Duration.ofMillis(100));
    assertThat(f.runtime.running("f")).extracting(i -> i.instanceId()).containsExactly("f-3");
  }

  @Test
  void concurrentStartFailuresCountAsOneRoundAndTheHeldMessagesWaitForTheRetry() {
    f.runtime.failNextStarts(3, "engine busy");
    f.runtime.holdStarts(true);
    f.startOne(fn("f").concurrency(1, 0, 3).build());
    for (int i = 0; i < 3; i++) {
      f.publish("in/" + i);
    }
    assertThat(f.runtime.starts()).isEqualTo(3);

    f.runtime.holdStarts(false);
    f.runtime.releaseStarts();
    assertThat(f.stats().failed()).as("one round of three failures is not three attempts").isZero();

    f.clock.advance(Duration.ofMillis(100));

    assertThat(f.stats().accepted()).isEqualTo(3);
    assertThat(f.stats().failed()).isZero();
  }

  @Test
  void aRuntimeThatIsDownDoesNotCauseAStormOfStarts() {
    f.runtime.failNextStarts(1_000_000, "engine unreachable");
    f.startOne(fn("f").concurrency(1, 2, 2).build());

    for (int s = 0; s < 30; s++) {
      f.clock.advance(Duration.ofSeconds(1));
    }

    // Two instances per round; rounds at 0.1, 0.3, 0.7, 1.5, 3.1 s and then every 2 s (the cap).
    assertThat(f.runtime.starts()).isBetween(2 * 15, 2 * 22);
    assertThat(f.clock.pendingTasks()).isLessThan(10);
  }

  @Test
  void aHandshakeThatBeatsItsStartTimerByAHairKeepsTheInstance() {
    FakeFunction.Manual fun = FakeFunction.manual();
    f.transport.behaviour("f", fun);
    f.runtime.holdStarts(true);
    f.startOne(fn("f").startTimeout(Duration.ofSeconds(5)).maxDeliveries(1).build());
    f.publish("in/1");

    // The start completes exactly at the timeout: the handshake and the timer fall due together.
    f.clock.advance(Duration.ofSeconds(5).minusMillis(1));
    f.runtime.releaseStarts();
    f.clock.advance(Duration.ofMillis(1));

    fun.next().ok();
    assertThat(f.stats().accepted()).isEqualTo(1);
    assertThat(f.events("stopped")).isEmpty();
  }

  @Test
  void aStopWhileAnInstanceIsStartingKillsWhatTheStartProducesLater() {
    f.runtime.holdStarts(true);
    f.startOne(fn("f").build());
    f.publish("in/1");

    f.dispatcher.stopAsync();
    // The runtime takes longer than the engine waits for it: the engine terminates first.
    f.clock.advance(Duration.ofSeconds(30));
    f.dispatcher.awaitTerminated();
    f.runtime.releaseStarts();

    assertThat(f.runtime.starts()).isEqualTo(1);
    assertThat(f.runtime.running()).isEmpty();
  }

  @Test
  void aSourceThatCannotStartLeavesNoInstanceBehind() {
    var failing = new RecordingSource(new java.util.concurrent.atomic.AtomicReference<>()) {
      @Override
      public void start(dev.ldd.core.spi.DeliveryHandler h) {
        throw new dev.ldd.core.LddException("broker unreachable");
      }
    };
    Dispatcher d = Dispatcher.builder().source(failing).publisher(f.broker).runtime(f.runtime)
        .transport(f.transport).function(fn("f").concurrency(1, 2, 2).build())
        .route(Route.of(QUEUE, "in/>", "f")).scheduler(f.clock)
        .eventLoop(com.google.common.util.concurrent.MoreExecutors.directExecutor())
        .settlementExecutor(com.google.common.util.concurrent.MoreExecutors.directExecutor()).build();

    d.startAsync();

    assertThat(d.state()).isEqualTo(com.google.common.util.concurrent.Service.State.FAILED);
    assertThat(d.failureCause()).hasMessageContaining("broker unreachable");
    assertThat(f.runtime.starts()).isZero();
  }

  @Test
  void platformFaultsDoNotSpendTheDeliveryBudget() {
    f.runtime.failNextStarts(3, "engine unreachable");
    f.transport.behaviour("f", FakeFunction.error("boom"));
    f.startOne(fn("f").maxDeliveries(2).build());

    f.publish("in/1");
    f.clock.advance(Duration.ofMillis(300));
    // Given back for the platform fault after three attempts: delivery 1 spent, but not by the function.
    assertThat(f.settled(Disposition.FAILED)).singleElement()
        .satisfies(s -> assertThat(s.reason()).contains("platform fault"));

    f.clock.advance(Duration.ofSeconds(5));

    // Delivery 2 failed on its own (its first failure), delivery 3 too: dead-lettered then, not at 2.
    assertThat(f.settled(Disposition.FAILED)).hasSize(2);
    assertThat(f.broker.deadMessages()).singleElement()
        .satisfies(d -> assertThat(d.message().deliveryCount()).hasValue(3));
  }

  @Test
  void orphansOfAnEarlierRunAreRemovedAtStart() {
    f.runtime.addOrphan("test-daemon", "f");
    var someoneElses = f.runtime.addOrphan("another-daemon", "f");

    f.startOne(fn("f").build());

    assertThat(f.runtime.running()).containsExactly(someoneElses);
  }

  @Test
  void gracefulStopDrainsInFlightAndLeavesTheRestUnsettled() {
    FakeFunction.Manual fun = FakeFunction.manual();
    f.transport.behaviour("f", fun);
    f.start(List.of(fn("f").concurrency(1, 0, 2).build()), List.of(Route.of(QUEUE, "in/>", "f")),
        b -> b.drainTimeout(Duration.ofSeconds(10)));
    for (int i = 0; i < 4; i++) {
      f.publish("in/" + i);
    }
    assertThat(fun.waiting()).isEqualTo(2);

    f.dispatcher.stopAsync();
    fun.next().ok();
    f.publish("in/late");
    f.clock.advance(Duration.ofSeconds(10));
    f.dispatcher.awaitTerminated();

    DrainReport report = f.dispatcher.lastDrainReport().orElseThrow();
    assertThat(report.settledDuringDrain()).isEqualTo(1);
    assertThat(report.leftUnsettled()).isEqualTo(3);
    assertThat(report.timedOut()).isTrue();
    assertThat(f.stats().accepted()).isEqualTo(1);
    assertThat(f.stats().unsettled()).isZero();
    assertThat(f.stats().depth()).isEqualTo(4);
    assertThat(f.runtime.running()).isEmpty();
    // A result that arrives after the drain settles nothing.
    fun.next().ok();
    assertThat(f.stats().accepted()).isEqualTo(1);
  }

  @Test
  void aDrainEndsAsSoonAsTheInFlightWorkSettlesEvenWithMessagesHeld() {
    FakeFunction.Manual fun = FakeFunction.manual();
    f.transport.behaviour("f", fun);
    f.start(List.of(fn("f").concurrency(1, 0, 1).build()), List.of(Route.of(QUEUE, "in/>", "f")),
        b -> b.drainTimeout(Duration.ofSeconds(30)));
    f.publish("in/1");
    f.publish("in/2");

    f.dispatcher.stopAsync();
    fun.next().ok();
    f.dispatcher.awaitTerminated();

    DrainReport report = f.dispatcher.lastDrainReport().orElseThrow();
    assertThat(report.timedOut()).isFalse();
    assertThat(report.settledDuringDrain()).isEqualTo(1);
    assertThat(report.leftUnsettled()).isEqualTo(1);
    assertThat(f.stats().accepted()).isEqualTo(1);
    assertThat(f.stats().depth()).isEqualTo(1);
  }

  @Test
  void aStopWithNothingInFlightEndsAtOnce() {
    f.startOne(fn("f").concurrency(1, 1, 1).build());

    f.dispatcher.stopAsync().awaitTerminated();

    assertThat(f.dispatcher.lastDrainReport()).hasValueSatisfying(r -> {
      assertThat(r.timedOut()).isFalse();
      assertThat(r.instancesStopped()).isEqualTo(1);
    });
    assertThat(f.runtime.running()).isEmpty();
  }
}
