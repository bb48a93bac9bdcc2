package dev.ldd.core.engine;

import static dev.ldd.core.engine.EngineFixture.QUEUE;
import static dev.ldd.core.engine.EngineFixture.fn;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ldd.core.Disposition;
import dev.ldd.core.model.InvocationResult;
import dev.ldd.core.model.ResultCode;
import dev.ldd.core.routing.Route;
import dev.ldd.core.spi.InboundMessage;
import dev.ldd.core.spi.Publication;
import dev.ldd.core.testing.FakeFunction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Thousands of messages through every fault the fakes can inject. Whatever happens, each message ends
 * accepted after an OK, or dead-lettered, and none is accepted without an OK or leaks the output of a
 * failed attempt.
 */
class DispatcherFaultInjectionTest {
  private static final int MESSAGES = 2_000;

  private enum Kind { PUBLISH_OK, OK, PUBLISH_ERROR, REJECT, HANG, CRASH, LATER }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3})
  void everyMessageEndsAcceptedAfterAnOkOrDeadLetteredAndNoneIsAcceptedWithoutAnOk(long seed) {
    Random random = new Random(seed);
    EngineFixture f = new EngineFixture();
    f.queue("out", "out/>");
    Map<String, ResultCode> outcomeOfInvocation = new HashMap<>();
    Map<String, String> lastInvocationOfMessage = new HashMap<>();
    FakeFunction.Manual laterCalls = FakeFunction.manual();

    f.transport.behaviour("f", call -> {
      String inv = call.invocation().id();
      String msg = call.invocation().message().topic();
      lastInvocationOfMessage.put(msg, inv);
      Kind kind = pick(random);
      Publication out = new Publication("out/" + msg, new byte[8], Map.of("attempt", inv, "msg", msg));
      switch (kind) {
        case PUBLISH_OK:
          outcomeOfInvocation.put(inv, ResultCode.OK);
          return call.publish(out).thenApply(v -> InvocationResult.ok());
        case OK:
          outcomeOfInvocation.put(inv, ResultCode.OK);
          return CompletableFuture.completedFuture(InvocationResult.ok());
        case PUBLISH_ERROR:
          outcomeOfInvocation.put(inv, ResultCode.ERROR);
          return call.publish(out).thenApply(v -> InvocationResult.error("failed after publishing"));
        case REJECT:
          outcomeOfInvocation.put(inv, ResultCode.REJECT);
          return CompletableFuture.completedFuture(InvocationResult.reject("poison"));
        case HANG:
          return FakeFunction.hang().invoke(call);
        case CRASH:
          return FakeFunction.crash().invoke(call);
        default:
          outcomeOfInvocation.put(inv, ResultCode.OK);
          return laterCalls.invoke(call);
      }
    });

    Map<String, Integer> accepts = new HashMap<>();
    List<String> acceptedWithoutOk = new ArrayList<>();
    f.start(List.of(fn("f").concurrency(2, 0, 3).maxDeliveries(4)
            .invocationTimeout(Duration.ofSeconds(5)).build()),
        List.of(Route.of(QUEUE, "in/>", "f")),
        b -> b.maxInFlight(50).listener(new dev.ldd.core.EngineListener() {
          @Override
          public void settled(InboundMessage m, String function, Disposition d, String reason) {
            if (d == Disposition.ACCEPTED) {
              accepts.merge(m.topic(), 1, Integer::sum);
              String inv = lastInvocationOfMessage.get(m.topic());
              if (inv == null || outcomeOfInvocation.get(inv) != ResultCode.OK) {
                acceptedWithoutOk.add(m.topic());
              }
            }
          }
        }));

    for (int i = 0; i < MESSAGES; i++) {
      if (random.nextInt(50) == 0) {
        f.runtime.failNextStarts(1 + random.nextInt(3), "injected start failure");
      }
      f.publish("in/" + i);
      if (random.nextInt(4) == 0) {
        answerSome(laterCalls, random);
      }
      if (random.nextInt(10) == 0) {
        f.clock.advance(Duration.ofMillis(random.nextInt(3_000)));
      }
    }
    for (int round = 0; round < 1_000 && !(f.stats().depth() == 0 && f.stats().unsettled() == 0); round++) {
      while (laterCalls.waiting() > 0) {
        laterCalls.next().ok();
      }
      f.clock.advance(Duration.ofSeconds(6));
    }

    assertThat(f.stats().depth()).as("waiting").isZero();
    assertThat(f.stats().unsettled()).as("unsettled").isZero();
    assertThat(acceptedWithoutOk).as("accepted without an OK").isEmpty();
    assertThat(accepts.values()).as("accepted more than once").allMatch(n -> n == 1);
    int deadLettered = f.broker.deadMessages().size();
    assertThat(accepts.size() + deadLettered).as("accepted + dead-lettered").isEqualTo(MESSAGES);
    assertThat(f.stats().accepted()).isEqualTo(accepts.size());
    // Only OK attempts published anything, and each accepted message published at most once.
    for (InboundMessage out : f.broker.browse("out")) {
      assertThat(outcomeOfInvocation.get(out.properties().get("attempt"))).isEqualTo(ResultCode.OK);
      assertThat(accepts).containsKey(out.properties().get("msg"));
    }
    assertThat(f.broker.deadMessages()).allSatisfy(d -> assertThat(accepts).doesNotContainKey(d.message().topic()));
    // The faults really happened.
    assertThat(f.settled(Disposition.FAILED)).isNotEmpty();
    assertThat(f.events("stopped")).anySatisfy(e -> assertThat(e).endsWith("DEADLINE"))
        .anySatisfy(e -> assertThat(e).endsWith("LOST"))
        .anySatisfy(e -> assertThat(e).endsWith("ERROR_RESULT"))
        .anySatisfy(e -> assertThat(e).endsWith("START_FAILED"));

    f.dispatcher.stopAsync();
    f.clock.advance(Duration.ofMinutes(1));
    f.dispatcher.awaitTerminated();
    assertThat(f.runtime.running()).isEmpty();
  }

  private static void answerSome(FakeFunction.Manual calls, Random random) {
    int n = random.nextInt(calls.waiting() + 1);
    for (int i = 0; i < n; i++) {
      calls.next().ok();
    }
  }

  private static Kind pick(Random random) {
    int r = random.nextInt(100);
    if (r < 50) {
      return Kind.PUBLISH_OK;
    } else if (r < 62) {
      return Kind.OK;
    } else if (r < 72) {
      return Kind.PUBLISH_ERROR;
    } else if (r < 77) {
      return Kind.REJECT;
    } else if (r < 81) {
      return Kind.HANG;
    } else if (r < 85) {
      return Kind.CRASH;
    }
    return Kind.LATER;
  }
}
