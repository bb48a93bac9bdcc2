package dev.ldd.wire.frame;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One selector thread serving any number of {@link NioFrameChannel}s: it reads and decodes their
 * inbound frames, calls their listeners, and finishes the writes that found a socket's send buffer
 * full. Everything else a channel does happens on the threads that call it.
 *
 * <p>Thread-safe. {@link #close} stops the thread; the channels it served must be closed first (the
 * daemon-side transport does).
 */
public final class IoLoop implements AutoCloseable {
  private final Selector selector;
  private final Thread thread;
  private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile boolean running = true;

  /** Opens the selector and starts the daemon thread named {@code name}. */
  public IoLoop(String name) {
    try {
      this.selector = Selector.open();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open a selector for " + name, e);
    }
    this.thread = new Thread(this::run, name);
    thread.setDaemon(true);
    thread.start();
  }

  /** Runs {@code task} on the loop's thread, soon, in submission order. */
  void execute(Runnable task) {
    tasks.add(task);
    selector.wakeup();
  }

  /** Whether the caller is the loop's thread. */
  boolean inLoop() {
    return Thread.currentThread() == thread;
  }

  Selector selector() {
    return selector;
  }

  private void run() {
    try {
      while (running) {
        runTasks();
        selector.select(this::ready);
      }
    } catch (IOException | RuntimeException e) {
      // The selector itself failed: nothing this loop serves can go on. Close every channel so that
      // their invocations fail as lost rather than hang.
      for (SelectionKey key : selector.keys()) {
        if (key.attachment() instanceof NioFrameChannel c) {
          closeQuietly(c, e);
        }
      }
    } finally {
      runTasks();
      try {
        selector.close();
      } catch (IOException ignored) {
        // closing anyway
      }
      stopped.countDown();
    }
  }

  private void ready(SelectionKey key) {
    NioFrameChannel channel = (NioFrameChannel) key.attachment();
    try {
      if (key.isValid() && key.isWritable()) {
        channel.onWritable();
      }
      if (key.isValid() && key.isReadable()) {
        channel.onReadable();
      }
    } catch (Throwable t) { // one channel's failure is that channel's, never the loop's
      closeQuietly(channel, t);
    }
  }

  /** Closes a channel whose listener may throw from onClose: that is the listener's failure, not the loop's. */
  private static void closeQuietly(NioFrameChannel channel, Throwable cause) {
    try {
      channel.close(cause);
    } catch (Throwable ignored) {
      // onClose has run, the channel is closed
    }
  }

  private void runTasks() {
    Runnable task;
    while ((task = tasks.poll()) != null) {
      try {
        task.run();
      } catch (Throwable t) {
        // tasks report their own failures; one must not stop the loop
      }
    }
  }

  /** Stops the thread and closes the selector; waits up to a second for it. Idempotent. */
  @Override
  public void close() {
    running = false;
    selector.wakeup();
    if (!inLoop()) {
      try {
        stopped.await(1, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public String toString() {
    return "IoLoop[" + thread.getName() + ", " + (running ? selector.keys().size() + " channels]" : "stopped]");
  }
}
