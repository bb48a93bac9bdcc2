package dev.ldd.examples.flaky;

import dev.ldd.wire.sdk.Context;
import dev.ldd.wire.sdk.Handler;
import dev.ldd.wire.sdk.Invocation;
import dev.ldd.wire.sdk.LddFunction;
import dev.ldd.wire.sdk.Result;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Fails some invocations, to show redelivery and dead-lettering. A message with property
 * {@code flaky.failDeliveries=N} fails its first N deliveries and then succeeds; otherwise a fraction
 * {@code FLAKY_FAILURE_RATE} (environment, default 0.3) of invocations fails at random.
 */
public final class FlakyFunction implements Handler {
  private final double failureRate;

  public FlakyFunction(double failureRate) {
    if (failureRate < 0 || failureRate > 1) {
      throw new IllegalArgumentException("FLAKY_FAILURE_RATE must be in 0..1, was " + failureRate);
    }
    this.failureRate = failureRate;
  }

  @Override
  public Result handle(Invocation invocation, Context context) {
    String failDeliveries = invocation.properties().get("flaky.failDeliveries");
    int delivery = invocation.deliveryCount().orElse(invocation.redelivered() ? 2 : 1);
    if (failDeliveries != null) {
      int n = Integer.parseInt(failDeliveries.trim());
      return delivery <= n
          ? Result.error("flaky: failing delivery " + delivery + " of the first " + n)
          : Result.ok();
    }
    if (ThreadLocalRandom.current().nextDouble() < failureRate) {
      return Result.error("flaky: random failure (rate " + failureRate + ") on delivery " + delivery);
    }
    return Result.ok();
  }

  public static void main(String[] args) {
    String rate = System.getenv("FLAKY_FAILURE_RATE");
    LddFunction.serve("flaky", new FlakyFunction(rate == null ? 0.3 : Double.parseDouble(rate)), 4);
  }
}
