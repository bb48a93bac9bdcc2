package dev.ldd.wire.conformance;

import dev.ldd.wire.sdk.Context;
import dev.ldd.wire.sdk.Handler;
import dev.ldd.wire.sdk.Invocation;
import dev.ldd.wire.sdk.LddFunction;
import dev.ldd.wire.sdk.PublishException;
import dev.ldd.wire.sdk.Result;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The conformance function (PROTOCOL.md, "The conformance function") on the Java SDK: the function
 * under test when {@link ConformanceKit} checks the Java wrapper. Stateless and thread-safe.
 */
public final class ConformanceFunction implements Handler {
  /** The name it announces. */
  public static final String NAME = "conformance";
  /** The concurrency it declares when run by {@link #main}. */
  public static final int CONCURRENCY = 16;

  /** Serves the conformance function on {@code $LDD_PORT}; exits when the daemon closes the connection. */
  public static void main(String[] args) {
    LddFunction.serve(NAME, new ConformanceFunction(), CONCURRENCY);
  }

  @Override
  public Result handle(Invocation inv, Context ctx) throws Exception {
    String text = new String(inv.payload(), StandardCharsets.UTF_8);
    switch (inv.topic()) {
      case Topics.ECHO:
        return Result.ok();
      case Topics.ERROR:
        throw new IllegalStateException(text);
      case Topics.REJECT:
        return Result.reject(text);
      case Topics.SLEEP:
        Thread.sleep(Long.parseLong(text.trim()));
        return Result.ok();
      case Topics.PUBLISH:
        String topic = inv.properties().get(Topics.TOPIC_PROPERTY);
        if (topic == null) {
          return Result.reject("property '" + Topics.TOPIC_PROPERTY + "' names the topic to publish to");
        }
        try {
          ctx.publish(topic, inv.payload(), inv.properties());
        } catch (PublishException e) {
          return Result.error(e.getMessage());
        }
        return Result.ok();
      case Topics.REPLY:
        ctx.reply(inv.payload(), inv.properties());
        return Result.ok();
      case Topics.INSPECT:
        ctx.publish(Topics.INSPECTED, inv.payload(), describe(inv));
        return Result.ok();
      default:
        return Result.error("unknown conformance topic '" + inv.topic() + "'");
    }
  }

  private static Map<String, String> describe(Invocation inv) {
    Map<String, String> p = new HashMap<>(inv.properties());
    p.put("ldd.topic", inv.topic());
    p.put("ldd.message_id", nullToEmpty(inv.messageId()));
    p.put("ldd.correlation_id", nullToEmpty(inv.correlationId()));
    p.put("ldd.reply_to", nullToEmpty(inv.replyTo()));
    p.put("ldd.redelivered", Boolean.toString(inv.redelivered()));
    p.put("ldd.delivery_count", Integer.toString(inv.deliveryCount().orElse(0)));
    p.put("ldd.deadline_unix_millis",
        inv.deadline().equals(java.time.Instant.MAX) ? "0" : Long.toString(inv.deadline().toEpochMilli()));
    return p;
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
