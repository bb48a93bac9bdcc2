package dev.ldd.examples.enrich;

import dev.ldd.wire.sdk.Context;
import dev.ldd.wire.sdk.Handler;
import dev.ldd.wire.sdk.Invocation;
import dev.ldd.wire.sdk.LddFunction;
import dev.ldd.wire.sdk.Result;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Enriches an order event and publishes the result to {@code enriched/<original topic>}, where a route
 * sends it to a second function: a chain. An empty payload is poison and is rejected.
 */
public final class EnrichFunction implements Handler {
  @Override
  public Result handle(Invocation invocation, Context context) {
    if (invocation.payload().length == 0) {
      return Result.reject("empty order event");
    }
    String body = new String(invocation.payload(), StandardCharsets.UTF_8);
    String enriched = "{\"source\":\"" + invocation.topic() + "\",\"event\":" + quote(body) + ",\"enrichedBy\":\"enrich\"}";
    Map<String, String> props = new HashMap<>(invocation.properties());
    props.put("enriched", "true");
    props.put("enriched.from", invocation.topic());
    context.publish("enriched/" + invocation.topic(), enriched.getBytes(StandardCharsets.UTF_8), props);
    return Result.ok();
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  public static void main(String[] args) {
    LddFunction.serve("enrich", new EnrichFunction(), 8);
  }
}
