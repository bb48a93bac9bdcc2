package dev.ldd.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ldd.examples.echo.EchoFunction;
import dev.ldd.examples.enrich.EnrichFunction;
import dev.ldd.examples.flaky.FlakyFunction;
import dev.ldd.wire.sdk.Context;
import dev.ldd.wire.sdk.Invocation;
import dev.ldd.wire.sdk.Result;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class ExampleFunctionsTest {
  record Sent(String topic, String payload, Map<String, String> properties) {}

  private final List<Sent> sent = new ArrayList<>();
  private final Context context = new Context() {
    @Override
    public void publish(String topic, byte[] payload, Map<String, String> properties) {
      sent.add(new Sent(topic, new String(payload, StandardCharsets.UTF_8), properties));
    }

    @Override
    public void reply(byte[] payload, Map<String, String> properties) {
      sent.add(new Sent("reply", new String(payload, StandardCharsets.UTF_8), properties));
    }
  };

  private static Invocation invocation(String topic, String payload, Map<String, String> props, String replyTo,
      int delivery) {
    return new Invocation("1", topic, payload.getBytes(StandardCharsets.UTF_8), props, "m1", "c1", replyTo,
        delivery > 1, OptionalInt.of(delivery), Instant.now().plusSeconds(30));
  }

  @Test
  void echoRepliesAndForwardsWhenAsked() throws Exception {
    Result r = new EchoFunction().handle(invocation("in/a", "hi", Map.of("echo.to", "out/a"), "replies/1", 1),
        context);

    assertThat(r.code()).isEqualTo(Result.ok().code());
    assertThat(sent).extracting(Sent::topic).containsExactly("reply", "out/a");
    assertThat(sent).allSatisfy(s -> assertThat(s.payload()).isEqualTo("hi"));
  }

  @Test
  void enrichPublishesTheDerivedMessageForTheNextFunction() throws Exception {
    Result r = new EnrichFunction().handle(invocation("orders/eu/created", "{\"id\":7}", Map.of(), null, 1),
        context);

    assertThat(r.code()).isEqualTo(Result.ok().code());
    assertThat(sent).singleElement().satisfies(s -> {
      assertThat(s.topic()).isEqualTo("enriched/orders/eu/created");
      assertThat(s.payload()).contains("\"source\":\"orders/eu/created\"").contains("enrichedBy");
      assertThat(s.properties()).containsEntry("enriched", "true");
    });
  }

  @Test
  void enrichRejectsAnEmptyEvent() throws Exception {
    assertThat(new EnrichFunction().handle(invocation("orders/x", "", Map.of(), null, 1), context).code())
        .isEqualTo(Result.reject("x").code());
  }

  @Test
  void flakyFailsTheFirstDeliveriesItIsToldTo() throws Exception {
    FlakyFunction flaky = new FlakyFunction(0);
    Map<String, String> twice = Map.of("flaky.failDeliveries", "2");

    assertThat(flaky.handle(invocation("f", "", twice, null, 1), context).code()).isEqualTo(Result.error("").code());
    assertThat(flaky.handle(invocation("f", "", twice, null, 2), context).error()).contains("delivery 2");
    assertThat(flaky.handle(invocation("f", "", twice, null, 3), context).code()).isEqualTo(Result.ok().code());
    assertThat(new FlakyFunction(1).handle(invocation("f", "", Map.of(), null, 1), context).error())
        .contains("random failure");
  }
}
