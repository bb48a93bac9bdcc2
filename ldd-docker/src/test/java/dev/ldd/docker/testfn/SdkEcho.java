package dev.ldd.docker.testfn;

import dev.ldd.wire.sdk.LddFunction;
import dev.ldd.wire.sdk.Result;
import java.util.Map;

/**
 * An SDK function for the end-to-end test: publishes each payload back to {@code <topic>/echo} and
 * returns OK, or returns ERROR for topics ending in {@code /fail}; for topics ending in {@code /slow} it
 * first hangs for a minute (long enough for a test to kill it mid-invocation). One class.
 */
public final class SdkEcho {
  private SdkEcho() {}

  public static void main(String[] args) {
    LddFunction.serve("sdk-echo", (invocation, context) -> {
      if (invocation.topic().endsWith("/fail")) {
        return Result.error("asked to fail");
      }
      if (invocation.topic().endsWith("/slow")) {
        new java.util.concurrent.CountDownLatch(1).await(60, java.util.concurrent.TimeUnit.SECONDS);
      }
      context.publish(invocation.topic() + "/echo", invocation.payload(),
          Map.of("instance", String.valueOf(System.getenv("LDD_INSTANCE"))));
      return Result.ok();
    }, 2);
  }
}
