package dev.ldd.launcher.testing;

import dev.ldd.core.spi.MessagePublisher;
import dev.ldd.core.spi.Publication;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** A publisher that records what it is given and answers as told (confirms at once by default). */
public final class RecordingPublisher implements MessagePublisher {
  public final List<Publication> published = new CopyOnWriteArrayList<>();
  public volatile Function<Publication, CompletableFuture<Void>> answer =
      p -> CompletableFuture.completedFuture(null);

  @Override
  public CompletableFuture<Void> publish(Publication publication) {
    published.add(publication);
    return answer.apply(publication);
  }
}
