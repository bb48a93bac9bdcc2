package dev.ldd.examples.embed;

import static java.util.Objects.requireNonNull;

import dev.ldd.core.LddException;
import dev.ldd.core.spi.Delivery;
import dev.ldd.core.spi.DeliveryHandler;
import dev.ldd.core.spi.InboundMessage;
import dev.ldd.core.spi.MessageSource;
import dev.ldd.core.spi.Settlement;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A bounded in-process queue of jobs that a service feeds and the engine reads through {@link #source()}:
 * the smallest {@link MessageSource} with the guarantees LDD relies on. A job stays in the queue until
 * its delivery is settled: {@code accept()} completes the future {@link #submit} returned, {@code fail()}
 * puts it back at the head for redelivery (its delivery count goes up), {@code reject()} (dead-letter)
 * completes the future exceptionally. Closing a source puts its unsettled jobs back.
 *
 * <p>Thread-safe. {@link #submit} blocks while the queue holds {@code capacity} jobs (waiting or in
 * flight): that is the service's back-pressure. Each source delivers on a thread of its own.
 */
public final class WorkQueue {
  private final String name;
  private final int capacity;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final Deque<Job> ready = new ArrayDeque<>();
  private final Map<Long, Job> unsettled = new HashMap<>();
  private final AtomicInteger sources = new AtomicInteger();
  private long sequence;

  /** A job and where it is. Guarded by the lock. */
  private static final class Job {
    final long id;
    final String topic;
    final byte[] payload;
    final Map<String, String> properties;
    final String replyTo;
    final CompletableFuture<Void> done = new CompletableFuture<>();
    int deliveries;
    Source owner;

    Job(long id, String topic, byte[] payload, Map<String, String> properties, String replyTo) {
      this.id = id;
      this.topic = topic;
      this.payload = payload;
      this.properties = properties;
      this.replyTo = replyTo;
    }
  }

  /** @param name the queue name that routes refer to */
  public WorkQueue(String name, int capacity) {
    this.name = requireNonNull(name, "name");
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1, was " + capacity);
    }
    this.capacity = capacity;
  }

  public String name() {
    return name;
  }

  /**
   * Adds a job, blocking while the queue is full. The future completes once a function processed it
   * (the engine accepted it), or fails if it was dead-lettered.
   *
   * @param replyTo where the function's reply goes, or null
   */
  public CompletableFuture<Void> submit(String topic, byte[] payload, Map<String, String> properties, String replyTo)
      throws InterruptedException {
    requireNonNull(topic, "topic");
    requireNonNull(payload, "payload");
    lock.lockInterruptibly();
    try {
      while (ready.size() + unsettled.size() >= capacity) {
        changed.await();
      }
      Job job = new Job(++sequence, topic, payload, Map.copyOf(properties), replyTo);
      ready.addLast(job);
      changed.signalAll();
      return job.done;
    } finally {
      lock.unlock();
    }
  }

  /** Jobs waiting or in flight. */
  public int size() {
    lock.lock();
    try {
      return ready.size() + unsettled.size();
    } finally {
      lock.unlock();
    }
  }

  /** A new source reading this queue; several sources share its jobs. */
  public MessageSource source() {
    return new Source("ldd-workqueue-" + name + "-" + sources.incrementAndGet());
  }

  private final class Source implements MessageSource {
    private final String threadName;
    /** Held while handing a delivery over, so that none arrives after pause() returns. */
    private final Object deliverLock = new Object();
    private volatile boolean paused;
    private volatile boolean closed;
    private Thread thread;

    Source(String threadName) {
      this.threadName = threadName;
    }

    @Override
    public String name() {
      return "workqueue";
    }

    @Override
    public synchronized void start(DeliveryHandler handler) {
      requireNonNull(handler, "handler");
      if (thread != null) {
        throw new LddException("work queue source '" + name + "' already started");
      }
      thread = new Thread(() -> deliverLoop(handler), threadName);
      thread.setDaemon(true);
      thread.start();
    }

    private void deliverLoop(DeliveryHandler handler) {
      while (true) {
        Job job;
        lock.lock();
        try {
          while (!closed && (paused || ready.isEmpty())) {
            changed.awaitUninterruptibly();
          }
          if (closed) {
            return;
          }
          job = ready.pollFirst();
          job.deliveries++;
          job.owner = this;
          unsettled.put(job.id, job);
        } finally {
          lock.unlock();
        }
        synchronized (deliverLock) {
          if (!paused && !closed) {
            handler.onDelivery(new Delivery(message(job), new JobSettlement(job, this)));
            continue;
          }
        }
        giveBack(job, true);
      }
    }

    private InboundMessage message(Job job) {
      return new InboundMessage(name, job.topic, job.payload, job.properties, "job-" + job.id, null, job.replyTo,
          job.deliveries > 1, OptionalInt.of(job.deliveries));
    }

    @Override
    public void pause() {
      synchronized (deliverLock) {
        paused = true;
      }
    }

    @Override
    public void resume() {
      paused = false;
      signal();
    }

    @Override
    public void close() {
      lock.lock();
      try {
        if (closed) {
          return;
        }
        closed = true;
        for (Job job : unsettled.values().stream().filter(j -> j.owner == this).toList()) {
          unsettled.remove(job.id);
          job.owner = null;
          ready.addFirst(job);
        }
        changed.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  /** Puts a job back at the head; {@code undeliver} when it never reached the handler. */
  private void giveBack(Job job, boolean undeliver) {
    lock.lock();
    try {
      unsettled.remove(job.id);
      job.owner = null;
      if (undeliver) {
        job.deliveries--;
      }
      ready.addFirst(job);
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void signal() {
    lock.lock();
    try {
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private final class JobSettlement implements Settlement {
    private final Job job;
    private final Source source;

    JobSettlement(Job job, Source source) {
      this.job = job;
      this.source = source;
    }

    /** Takes the job out of the in-flight set if this delivery is still the live one. */
    private boolean take() {
      lock.lock();
      try {
        if (job.owner != source || unsettled.get(job.id) != job) {
          return false;
        }
        unsettled.remove(job.id);
        job.owner = null;
        changed.signalAll();
        return true;
      } finally {
        lock.unlock();
      }
    }

    @Override
    public void accept() {
      if (take()) {
        job.done.complete(null);
      }
    }

    @Override
    public void fail() {
      lock.lock();
      try {
        if (job.owner == source && unsettled.get(job.id) == job) {
          giveBack(job, false);
        }
      } finally {
        lock.unlock();
      }
    }

    @Override
    public void reject() {
      if (take()) {
        job.done.completeExceptionally(new LddException("job " + job.id + " on '" + job.topic
            + "' was dead-lettered after " + job.deliveries + " deliveries"));
      }
    }
  }
}
