package dev.ldd.wire.frame;

import dev.ldd.wire.proto.Frame;
import dev.ldd.wire.proto.Ping;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One framed connection with its two threads: a reader thread that hands each inbound frame to a
 * {@link Listener}, and a writer thread that drains an unbounded queue of outbound frames and flushes
 * once per batch. Both daemon and function side use it.
 *
 * <p>Thread-safe. {@link #send} never blocks; {@link #sendNow} may (see there). Frames leave in the
 * order they were queued. The listener is called on the reader thread, one frame at a time;
 * {@link Listener#onClose} is called exactly once, on whichever thread closed the channel.
 */
public final class FrameChannel {
  /** What the channel reports. Called on the reader thread, except {@link #onClose} (see there). */
  public interface Listener {
    /**
     * One inbound frame. Must not block for long: it holds up every later frame. Throwing closes the
     * channel with the exception as cause (a {@link WireProtocolException} for bad input).
     */
    void onFrame(Frame frame) throws Exception;

    /**
     * The channel closed, once. {@code cause} is null after {@link #close(Throwable) close(null)}, an
     * {@link EOFException} when the peer closed the connection, a {@link WireProtocolException} when the
     * peer sent bad input, another exception when I/O failed. Must not block.
     */
    void onClose(Throwable cause);
  }

  // Identity markers in the outbound queue; never written.
  private static final Frame STOP = Frame.newBuilder().setPing(Ping.newBuilder().setNonce(-1)).build();
  private static final Frame FLUSH_AND_CLOSE = Frame.newBuilder().setPing(Ping.newBuilder().setNonce(-2)).build();

  private final Socket socket;
  private final FrameReader reader;
  private final FrameWriter writer;
  private final int maxFrameBytes;
  private final String threadPrefix;
  private final String name;
  private final Queue<Frame> outbound = new ConcurrentLinkedQueue<>();
  // The writer sets this before it parks; senders unpark it only then, so a busy writer costs them nothing.
  private volatile boolean writerParked;
  private volatile Thread writerThread;
  // Held while frames are taken from the queue and written, so that they leave in queue order.
  private final ReentrantLock writeLock = new ReentrantLock();
  private volatile boolean stopped;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile Listener listener;

  /**
   * Wraps a connected socket. {@code reader} must read from it (the one used for a handshake, so that
   * nothing it buffered is lost). Threads are named {@code <threadPrefix>-read-<name>} and
   * {@code <threadPrefix>-write-<name>}.
   */
  public FrameChannel(Socket socket, FrameReader reader, int maxFrameBytes, String threadPrefix, String name)
      throws IOException {
    this.socket = socket;
    this.reader = reader;
    this.writer = new FrameWriter(socket.getOutputStream(), maxFrameBytes);
    this.maxFrameBytes = maxFrameBytes;
    this.threadPrefix = threadPrefix;
    this.name = name;
  }

  /** Starts the reader and writer threads. Call once. */
  public void start(Listener listener) {
    this.listener = listener;
    startThread("-write-", this::writeLoop);
    startThread("-read-", this::readLoop);
  }

  /**
   * Queues a frame for sending and returns at once.
   *
   * @return false when the channel is closed (the frame is dropped)
   * @throws IllegalArgumentException when the frame exceeds the maximum frame size
   */
  public boolean send(Frame frame) {
    FrameWriter.checkSize(frame, maxFrameBytes);
    if (closed.get()) {
      return false;
    }
    enqueue(frame);
    return true;
  }

  /**
   * Like {@link #send}, but when no other thread is writing, writes the queue and this frame on the
   * calling thread and flushes, saving the hand-over to the writer thread. That may block the caller
   * while the socket's send buffer is full, so only threads that may wait for the peer use it (the
   * wrapper's invocation threads, for a Result when nothing else is in flight); otherwise it queues.
   */
  public boolean sendNow(Frame frame) {
    FrameWriter.checkSize(frame, maxFrameBytes);
    if (closed.get()) {
      return false;
    }
    outbound.add(frame);
    if (writeLock.tryLock()) {
      try {
        drain();
      } catch (Throwable t) {
        close(t);
      } finally {
        writeLock.unlock();
      }
      if (outbound.peek() == null) {
        return true;
      }
    }
    wakeWriter(); // frames queued while this thread held the lock
    return true;
  }

  /** Whether the channel is still open. */
  public boolean isOpen() {
    return !closed.get();
  }

  /** Closes the connection now, dropping frames not yet written. Idempotent. */
  public void close(Throwable cause) {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    enqueue(STOP);
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    Listener l = listener;
    if (l != null) {
      l.onClose(cause);
    }
  }

  /** Writes the frames queued so far, then closes the channel with no cause. Returns at once. */
  public void closeAfterFlush() {
    if (!closed.get()) {
      enqueue(FLUSH_AND_CLOSE);
    }
  }

  private void readLoop() {
    try {
      while (!closed.get()) {
        Frame frame = reader.read();
        if (frame == null) {
          close(new EOFException("the peer closed the connection"));
          return;
        }
        listener.onFrame(frame);
      }
    } catch (Throwable t) {
      close(t);
    }
  }

  private void enqueue(Frame frame) {
    outbound.add(frame);
    wakeWriter();
  }

  private void wakeWriter() {
    if (writerParked) {
      LockSupport.unpark(writerThread);
    }
  }

  /** Writes what is queued and flushes; under writeLock, so that frames leave in queue order. */
  private void drain() throws IOException {
    Frame frame;
    boolean wrote = false;
    while (!stopped && (frame = outbound.poll()) != null) {
      if (frame == STOP) {
        stopped = true;
        return;
      }
      if (frame == FLUSH_AND_CLOSE) {
        writer.flush();
        stopped = true;
        close(null);
        return;
      }
      writer.write(frame);
      wrote = true;
    }
    if (wrote) {
      writer.flush();
    }
  }

  private void writeLoop() {
    writerThread = Thread.currentThread();
    try {
      while (!stopped) {
        awaitFrame();
        writeLock.lock();
        try {
          drain();
        } finally {
          writeLock.unlock();
        }
      }
    } catch (Throwable t) {
      close(t);
    }
  }

  private void awaitFrame() {
    while (outbound.peek() == null && !stopped) {
      writerParked = true;
      if (outbound.peek() != null) { // re-check after announcing: a sender that missed the flag queued first
        writerParked = false;
        return;
      }
      LockSupport.park(this);
      writerParked = false;
    }
  }

  private void startThread(String role, Runnable loop) {
    Thread thread = new Thread(loop, threadPrefix + role + name);
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public String toString() {
    return "FrameChannel[" + name + ", " + socket.getRemoteSocketAddress() + (closed.get() ? ", closed]" : "]");
  }
}
