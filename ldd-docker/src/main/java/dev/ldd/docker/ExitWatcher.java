package dev.ldd.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows ONE label-filtered events stream for all of a runtime's containers, on its own client and
 * thread. Streams end silently and always end when the engine restarts, so it reconnects with
 * {@code since} (to replay what it missed) and, after every connect, asks the sink to reconcile against a
 * listing (the engine keeps no event history across a restart).
 */
final class ExitWatcher implements AutoCloseable {
  /** Receives what the stream reports; called on the stream's thread, must not block. */
  interface Sink {
    void died(String containerId, int exitCode);

    void oomKilled(String containerId);

    /** The stream is (again) connected: compare what is tracked with what the engine has. */
    void connected();
  }

  private static final Logger log = LoggerFactory.getLogger(ExitWatcher.class);
  private static final long MAX_BACKOFF_MS = 2_000;
  /** Replays a little before the disconnect, for events in flight when it dropped (duplicates are harmless). */
  private static final long REPLAY_MARGIN_MS = 2_000;

  private final DockerClient client;
  private final Map<String, String> labelFilter;
  private final Duration connectTimeout;
  private final Sink sink;
  private final Thread thread;
  private final Object pauseLock = new Object();
  private final AtomicInteger connections = new AtomicInteger();
  private volatile boolean shutDown;
  private volatile ResultCallback.Adapter<Event> current;
  private volatile long replayFromMillis = System.currentTimeMillis();
  private boolean paused;

  ExitWatcher(DockerClient client, Map<String, String> labelFilter, Duration connectTimeout, Sink sink,
      String threadName) {
    this.client = client;
    this.labelFilter = Map.copyOf(labelFilter);
    this.connectTimeout = connectTimeout;
    this.sink = sink;
    this.thread = new Thread(this::run, threadName);
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  int connections() {
    return connections.get();
  }

  private void run() {
    long backoffMs = 50;
    boolean warned = false;
    while (!shutDown) {
      try {
        awaitNotPaused();
        if (shutDown) {
          break;
        }
        Callback callback = new Callback();
        current = callback;
        String since = Long.toString(replayFromMillis / 1000);
        client.eventsCmd()
            .withEventTypeFilter(EventType.CONTAINER)
            .withEventFilter("die", "oom")
            .withLabelFilter(labelFilter)
            .withSince(since)
            .exec(callback);
        if (callback.awaitOpened(connectTimeout)) {
          connections.incrementAndGet();
          if (warned) {
            log.info("Docker events stream reconnected (since {})", since);
          }
          backoffMs = 50;
          warned = false;
          reconcile();
        } else if (!warned && !shutDown) {
          Throwable failure = callback.failure;
          log.warn("Docker events stream could not connect, retrying: {}",
              failure == null ? "it closed before it opened" : failure.toString());
          warned = true;
        }
        callback.awaitCompletion();
        replayFromMillis = System.currentTimeMillis() - REPLAY_MARGIN_MS;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (RuntimeException e) {
        if (!warned && !shutDown) {
          log.warn("Docker events stream failed, reconnecting: {}", e.toString());
          warned = true;
        }
      }
      if (!shutDown) {
        try {
          Thread.sleep(backoffMs);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
        backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
      }
    }
  }

  private void reconcile() {
    try {
      sink.connected();
    } catch (RuntimeException e) {
      log.warn("reconciling containers after the events stream connected failed: {}", e.toString());
    }
  }

  private void awaitNotPaused() throws InterruptedException {
    synchronized (pauseLock) {
      while (paused && !shutDown) {
        pauseLock.wait();
      }
    }
  }

  /**
   * For tests: drops the stream and keeps it down until the returned handle is closed, as an engine
   * restart would. With {@code historyLost} the reconnect does not replay what happened meanwhile (the
   * engine's event history is gone after a restart), so only reconciliation can find it.
   */
  AutoCloseable interrupt(boolean historyLost) {
    synchronized (pauseLock) {
      paused = true;
    }
    closeCurrent();
    return () -> {
      synchronized (pauseLock) {
        if (historyLost) {
          replayFromMillis = System.currentTimeMillis() + 1_000;
        }
        paused = false;
        pauseLock.notifyAll();
      }
    };
  }

  private void closeCurrent() {
    ResultCallback.Adapter<Event> callback = current;
    if (callback != null) {
      try {
        callback.close();
      } catch (Exception e) {
        log.debug("closing the events stream: {}", e.toString());
      }
    }
  }

  @Override
  public void close() {
    shutDown = true;
    synchronized (pauseLock) {
      pauseLock.notifyAll();
    }
    closeCurrent();
    thread.interrupt();
    try {
      thread.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private final class Callback extends ResultCallback.Adapter<Event> {
    /** True once the stream is open; false when it failed first (no waiting out the timeout then). */
    private final CompletableFuture<Boolean> opened = new CompletableFuture<>();
    private volatile Throwable failure;

    boolean awaitOpened(Duration timeout) throws InterruptedException {
      try {
        return opened.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException | TimeoutException e) {
        return false;
      }
    }

    @Override
    public void onStart(Closeable stream) {
      super.onStart(stream);
      opened.complete(true);
    }

    @Override
    public void close() throws IOException {
      opened.complete(false);
      super.close();
    }

    @Override
    public void onNext(Event event) {
      // An exception escaping onNext would end the stream (docker-java #201): contain it here.
      try {
        handle(event);
      } catch (RuntimeException e) {
        log.warn("ignoring a Docker event that could not be handled ({}): {}", event, e.toString());
      }
    }

    @Override
    public void onError(Throwable throwable) {
      failure = throwable;
      if (!shutDown) {
        log.debug("Docker events stream ended with an error: {}", throwable.toString());
      }
      try {
        close();
      } catch (Exception e) {
        log.debug("closing the events stream: {}", e.toString());
      }
    }
  }

  private void handle(Event event) {
    String id = event.getId();
    if (id == null && event.getActor() != null) {
      id = event.getActor().getId();
    }
    if (id == null) {
      return;
    }
    String action = event.getAction() != null ? event.getAction() : event.getStatus();
    if ("oom".equals(action)) {
      sink.oomKilled(id);
    } else if ("die".equals(action)) {
      sink.died(id, exitCode(event));
    }
  }

  private static int exitCode(Event event) {
    if (event.getActor() == null || event.getActor().getAttributes() == null) {
      return -1;
    }
    String code = event.getActor().getAttributes().get("exitCode");
    try {
      return code == null ? -1 : Integer.parseInt(code);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
