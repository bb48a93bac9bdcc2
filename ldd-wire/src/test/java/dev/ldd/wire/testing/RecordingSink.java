package dev.ldd.wire.testing;

import dev.ldd.core.spi.Publication;
import dev.ldd.core.spi.PublicationSink;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link PublicationSink} that records what it is given and accepts it, or refuses everything. */
public final class RecordingSink implements PublicationSink {
  /** One publication and the invocation that made it. */
  public record Published(String invocationId, Publication publication) {}

  private final List<Published> published = new CopyOnWriteArrayList<>();
  private volatile String refusal;

  public static RecordingSink accepting() {
    return new RecordingSink();
  }

  public static RecordingSink refusing(String why) {
    RecordingSink sink = new RecordingSink();
    sink.refusal = why;
    return sink;
  }

  @Override
  public CompletionStage<Void> publish(String invocationId, Publication publication) {
    published.add(new Published(invocationId, publication));
    return refusal == null
        ? CompletableFuture.completedFuture(null)
        : CompletableFuture.failedFuture(new IllegalStateException(refusal));
  }

  public List<Published> published() {
    return List.copyOf(published);
  }
}
