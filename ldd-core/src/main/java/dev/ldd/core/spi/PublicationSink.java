package dev.ldd.core.spi;

import java.util.concurrent.CompletionStage;

/**
 * Where a {@link FunctionConnection} hands the publications a function makes while it runs. The engine
 * implements it. Called on the transport's I/O thread: it must not block.
 */
@FunctionalInterface
public interface PublicationSink {
  /**
   * A publication made during invocation {@code invocationId}. The returned stage completes when the
   * engine has taken responsibility for it (buffered until the result, or confirmed by the bus in the
   * immediate mode) and fails when it was refused; the transport answers the function accordingly.
   */
  CompletionStage<Void> publish(String invocationId, Publication publication);
}
