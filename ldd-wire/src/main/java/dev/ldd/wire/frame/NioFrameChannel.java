package dev.ldd.wire.frame;

import com.google.protobuf.CodedOutputStream;
import dev.ldd.wire.proto.Frame;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One framed connection without threads of its own, served by an {@link IoLoop}: the loop's thread
 * reads, decodes and hands each inbound frame to a {@link FrameChannel.Listener}. Outbound frames go
 * through one queue: {@link #send} leaves them to the loop's thread, which writes what has gathered in
 * one system call; {@link #sendNow} writes on the calling thread at once, with a non-blocking write,
 * saving the hand-over. When the socket's send buffer is full, frames wait in the queue and the loop
 * writes them once the socket is writable; neither method blocks.
 *
 * <p>Thread-safe. Frames leave in the order they were queued (per calling thread; calls from several
 * threads are ordered by when they queue). The listener is called on the
 * loop's thread, one frame at a time; {@link FrameChannel.Listener#onClose} exactly once, on
 * whichever thread closed the channel.
 */
public final class NioFrameChannel {
  /** Read and write buffers; larger frames get an array of their own. */
  private static final int BUFFER_BYTES = 16 * 1024;
  /** Frames up to this size are written from a direct buffer of the writing thread's. */
  private static final int SCRATCH_MAX_BYTES = 1024 * 1024;
  private static final ThreadLocal<ByteBuffer[]> SCRATCH = ThreadLocal.withInitial(() -> new ByteBuffer[1]);
  /**
   * Heap buffers go to and from the socket at most this much at a time: the JDK copies through a
   * temporary direct buffer of the size asked for and keeps it for the thread, so a whole large
   * frame would leave a direct buffer of its size behind on every thread that read or wrote one (and
   * be copied again, whole, on every partial write).
   */
  private static final int IO_SLICE_BYTES = 128 * 1024;
  /** Reads of one connection before the loop turns to the others. */
  private static final int MAX_READS_PER_WAKE_UP = 16;

  private final SocketChannel socket;
  private final IoLoop loop;
  private final int maxFrameBytes;
  private final String name;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile FrameChannel.Listener listener;
  private SelectionKey key; // loop thread only

  // Inbound, loop thread only: `in` in fill mode; a frame larger than it is read into `body`.
  private ByteBuffer in;
  private byte[] body;
  private int bodyFilled;

  // Outbound: whoever holds the drain (wip going from 0 to 1) owns out, large and carry.
  private final Queue<Frame> outbound = new ConcurrentLinkedQueue<>();
  private final AtomicInteger wip = new AtomicInteger();
  private final ByteBuffer out = ByteBuffer.allocate(BUFFER_BYTES); // fill mode
  private ByteBuffer large; // a frame larger than out, being written (read mode)
  private Frame carry; // taken from the queue, not yet encoded: it did not fit
  // Set while the socket's send buffer is full: senders then only queue, the loop writes.
  private volatile boolean awaitingWritable;
  // Set while a flush by the loop is queued for frames given to send().
  private final AtomicBoolean flushScheduled = new AtomicBoolean();

  /**
   * Wraps a connected socket channel. {@code buffered} are bytes already read from it that belong to
   * the frames after the handshake (see {@link FrameReader#takeBuffered()}); they are decoded first.
   */
  public NioFrameChannel(SocketChannel socket, byte[] buffered, IoLoop loop, int maxFrameBytes, String name) {
    this.socket = socket;
    this.loop = loop;
    this.maxFrameBytes = maxFrameBytes;
    this.name = name;
    this.in = ByteBuffer.allocate(Math.max(BUFFER_BYTES, buffered.length));
    in.put(buffered);
  }

  /**
   * Puts the socket in non-blocking mode and hands it to the loop, which decodes what was buffered
   * and then reads. Frames may be sent as soon as this returns. Call once.
   */
  public void start(FrameChannel.Listener listener) throws IOException {
    this.listener = listener;
    socket.configureBlocking(false);
    loop.execute(this::register);
  }

  private void register() {
    if (closed.get()) {
      return;
    }
    try {
      key = socket.register(loop.selector(), SelectionKey.OP_READ | (awaitingWritable ? SelectionKey.OP_WRITE : 0), this);
      decode();
    } catch (Throwable t) {
      close(t);
    }
  }

  /**
   * Queues a frame for the loop's thread to write, with whatever else is queued by then, and returns
   * at once. For frames sent while others are in flight: one system call carries a batch of them and
   * the sending thread makes none.
   *
   * @return false when the channel is closed (the frame is dropped)
   * @throws IllegalArgumentException when the frame exceeds the maximum frame size
   */
  public boolean send(Frame frame) {
    FrameWriter.checkSize(frame, maxFrameBytes);
    if (closed.get()) {
      return false;
    }
    outbound.add(frame);
    if (!flushScheduled.get() && flushScheduled.compareAndSet(false, true)) {
      loop.execute(this::flushFromLoop);
    }
    return true;
  }

  /**
   * Queues a frame and writes it on the calling thread now, with a non-blocking write, unless another
   * thread is writing (which then writes it too) or the socket's send buffer is full (the loop writes
   * it once the socket drains). Never blocks. For a frame that is alone on the connection, where a
   * hand-over to the loop's thread would be the largest part of its latency.
   *
   * @return false when the channel is closed (the frame is dropped)
   * @throws IllegalArgumentException when the frame exceeds the maximum frame size
   */
  public boolean sendNow(Frame frame) {
    FrameWriter.checkSize(frame, maxFrameBytes);
    if (closed.get()) {
      return false;
    }
    outbound.add(frame);
    if (!awaitingWritable) {
      drain();
    }
    return true;
  }

  private void flushFromLoop() {
    flushScheduled.set(false); // before draining: a frame queued from here on schedules another flush
    if (!awaitingWritable) {
      drain();
    }
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
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    // A registered channel's socket is released by the selector: wake it so the peer sees the close now.
    loop.execute(() -> {
      if (key != null) {
        key.cancel();
      }
    });
    FrameChannel.Listener l = listener;
    if (l != null) {
      l.onClose(cause);
    }
  }

  // ---- outbound

  /** Writes what is queued, on this thread, unless another thread already does (it then loops once more). */
  private void drain() {
    if (wip.getAndIncrement() != 0) {
      return;
    }
    int missed = 1;
    try {
      do {
        if (!awaitingWritable && !closed.get() && !writeSome()) {
          awaitingWritable = true;
          loop.execute(this::awaitWritable);
        }
        missed = wip.addAndGet(-missed);
      } while (missed != 0);
    } catch (Throwable t) { // an Error too: the drain stays claimed, nothing would write again
      close(t);
    }
  }

  /**
   * Encodes queued frames into the write buffer and writes it, a buffer-full at a time.
   *
   * @return true when everything queued is written, false when the socket's send buffer is full
   */
  private boolean writeSome() throws IOException {
    while (true) {
      if (large != null) {
        writeSlices(large);
        if (large.hasRemaining()) {
          return false;
        }
        large = null;
      }
      Frame frame = carry != null ? carry : outbound.poll();
      carry = null;
      if (frame == null) {
        return flushOut();
      }
      int size = frame.getSerializedSize();
      int total = CodedOutputStream.computeUInt32SizeNoTag(size) + size;
      if (total > out.remaining()) {
        boolean empty = flushOut();
        if (total > out.remaining()) {
          if (!empty) {
            carry = frame;
            return false;
          }
          // Larger than the whole buffer, written after what was buffered: up to a size, encoded into
          // this thread's direct buffer and written from there (no copy on the way to the socket);
          // only what the socket does not take now is copied, to wait for the loop.
          if (total <= SCRATCH_MAX_BYTES) {
            ByteBuffer scratch = scratch(total);
            CodedOutputStream coded = CodedOutputStream.newInstance(scratch);
            coded.writeUInt32NoTag(size);
            frame.writeTo(coded);
            coded.flush();
            scratch.flip();
            socket.write(scratch);
            if (scratch.hasRemaining()) {
              large = ByteBuffer.allocate(scratch.remaining()).put(scratch).flip();
              return false;
            }
            continue;
          }
          byte[] bytes = new byte[total];
          encode(frame, size, bytes, 0, total);
          large = ByteBuffer.wrap(bytes);
          continue;
        }
      }
      encode(frame, size, out.array(), out.arrayOffset() + out.position(), total);
      out.position(out.position() + total);
    }
  }

  /** A cleared direct buffer of this thread with room for {@code bytes}, its limit at {@code bytes}. */
  private static ByteBuffer scratch(int bytes) {
    ByteBuffer[] holder = SCRATCH.get();
    ByteBuffer b = holder[0];
    if (b == null || b.capacity() < bytes) {
      b = ByteBuffer.allocateDirect(Math.max(64 * 1024, Integer.highestOneBit(bytes - 1) << 1));
      holder[0] = b;
    }
    b.clear().limit(bytes);
    return b;
  }

  /** Writes what the socket takes of a heap buffer, {@link #IO_SLICE_BYTES} at a time. */
  private void writeSlices(ByteBuffer b) throws IOException {
    int end = b.limit();
    try {
      while (b.position() < end) {
        b.limit(Math.min(end, b.position() + IO_SLICE_BYTES));
        socket.write(b);
        if (b.hasRemaining()) {
          return; // the socket is full
        }
      }
    } finally {
      b.limit(end);
    }
  }

  /** Writes the buffer; true when it is empty afterwards. */
  private boolean flushOut() throws IOException {
    if (out.position() == 0) {
      return true;
    }
    out.flip();
    socket.write(out);
    out.compact();
    return out.position() == 0;
  }

  private static void encode(Frame frame, int size, byte[] into, int offset, int total) throws IOException {
    CodedOutputStream coded = CodedOutputStream.newInstance(into, offset, total);
    coded.writeUInt32NoTag(size);
    frame.writeTo(coded);
    coded.checkNoSpaceLeft();
  }

  private void awaitWritable() {
    if (key != null && key.isValid()) {
      key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
    } // before registration: register() sees awaitingWritable
  }

  /** The socket can take more: the loop writes what waited. Loop thread. */
  void onWritable() {
    key.interestOps(SelectionKey.OP_READ);
    awaitingWritable = false;
    drain();
  }

  // ---- inbound

  /** Reads what arrived and hands over every whole frame. Loop thread. */
  void onReadable() throws Exception {
    // A bounded number of reads per readiness: a peer that never stops writing must not starve the other
    // connections of this loop; the selector reports the rest at once.
    for (int reads = 0; reads < MAX_READS_PER_WAKE_UP && !closed.get(); reads++) {
      int n;
      boolean filled;
      if (body != null) {
        int room = Math.min(body.length - bodyFilled, IO_SLICE_BYTES);
        n = socket.read(ByteBuffer.wrap(body, bodyFilled, room));
        if (n > 0) {
          bodyFilled += n;
        }
        filled = n == room;
      } else {
        int room = in.remaining();
        n = socket.read(in);
        filled = n == room;
      }
      if (n < 0) {
        ended();
        return;
      }
      decode();
      if (!filled) {
        return; // the socket has nothing more now; the selector reports the next bytes
      }
    }
  }

  /** Hands over every whole frame in the buffers, keeping a partial one. */
  private void decode() throws Exception {
    if (body != null) {
      if (bodyFilled < body.length) {
        return;
      }
      byte[] whole = body;
      body = null;
      deliver(FrameReader.parse(whole, 0, whole.length, true)); // the array is this frame's alone
    }
    in.flip();
    try {
      while (in.hasRemaining() && !closed.get()) {
        int start = in.position();
        long length = readPrefix();
        if (length < 0) {
          in.position(start); // the prefix is not all here yet
          break;
        }
        if (length > maxFrameBytes) {
          throw FrameReader.oversized(length, maxFrameBytes);
        }
        int len = (int) length;
        if (in.remaining() >= len) {
          Frame frame = FrameReader.parse(in.array(), in.arrayOffset() + in.position(), len, false);
          in.position(in.position() + len);
          deliver(frame);
        } else if (in.position() - start + len > in.capacity()) {
          // It cannot fit the buffer: read the rest straight into an array of the frame's size.
          body = new byte[len];
          bodyFilled = in.remaining();
          in.get(body, 0, bodyFilled);
          break;
        } else {
          in.position(start);
          break;
        }
      }
    } finally {
      in.compact();
    }
  }

  /** The frame's length, or -1 when its prefix has not fully arrived; the buffer is in read mode. */
  private long readPrefix() {
    long value = 0;
    for (int i = 0; i < 5; i++) {
      if (!in.hasRemaining()) {
        return -1;
      }
      int b = in.get();
      value |= (long) (b & 0x7f) << (7 * i);
      if ((b & 0x80) == 0) {
        return value;
      }
    }
    throw FrameReader.malformedPrefix();
  }

  private void deliver(Frame frame) throws Exception {
    listener.onFrame(frame);
  }

  private void ended() {
    if (body != null) {
      close(new WireProtocolException("truncated frame: the stream ended after " + bodyFilled + " of its "
          + body.length + " bytes"));
    } else if (in.position() > 0) {
      close(new WireProtocolException(
          "truncated frame: the stream ended inside a frame, " + in.position() + " bytes of it had arrived"));
    } else {
      close(new EOFException("the peer closed the connection"));
    }
  }

  @Override
  public String toString() {
    return "NioFrameChannel[" + name + (closed.get() ? ", closed]" : "]");
  }
}
