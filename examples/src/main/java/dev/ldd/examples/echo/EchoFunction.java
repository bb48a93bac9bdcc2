package dev.ldd.examples.echo;

import dev.ldd.wire.sdk.Context;
import dev.ldd.wire.sdk.Handler;
import dev.ldd.wire.sdk.Invocation;
import dev.ldd.wire.sdk.LddFunction;
import dev.ldd.wire.sdk.Result;
import java.util.Map;

/**
 * Echoes its input: replies when the message has a reply-to, publishes the payload to the topic named by
 * the {@code echo.to} property when there is one, and returns OK.
 */
public final class EchoFunction implements Handler {
  @Override
  public Result handle(Invocation invocation, Context context) {
    if (invocation.replyTo() != null && !invocation.replyTo().isEmpty()) {
      context.reply(invocation.payload(), Map.of("echo.of", invocation.topic()));
    }
    String to = invocation.properties().get("echo.to");
    if (to != null && !to.isEmpty()) {
      context.publish(to, invocation.payload(), Map.of("echo.of", invocation.topic()));
    }
    return Result.ok();
  }

  public static void main(String[] args) {
    LddFunction.serve("echo", new EchoFunction(), 16);
  }
}
