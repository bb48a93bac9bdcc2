package dev.ldd.wire.sdk;

/**
 * A function: what authors implement. Called on one of the wrapper's invocation threads, up to the
 * declared concurrency at once, so implementations must be thread-safe. May block (it holds one of those
 * threads). An exception it throws becomes an {@link Result.Code#ERROR} result with its message.
 */
@FunctionalInterface
public interface Handler {
  Result handle(Invocation invocation, Context context) throws Exception;
}
