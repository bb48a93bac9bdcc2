package dev.ldd.bench.fn;

import dev.ldd.wire.sdk.LddFunction;
import dev.ldd.wire.sdk.Result;

/**
 * The full-path benchmark's function: answers OK at once. Declared concurrency from
 * {@code LDD_BENCH_CONCURRENCY} (default 256). Depends on the SDK only, so that its image holds the SDK
 * and protobuf and nothing else.
 */
public final class OkFunction {
  private OkFunction() {}

  public static void main(String[] args) {
    String c = System.getenv("LDD_BENCH_CONCURRENCY");
    LddFunction.serve("ok", (invocation, context) -> Result.ok(),
        c == null || c.isBlank() ? 256 : Integer.parseInt(c.trim()));
  }
}
