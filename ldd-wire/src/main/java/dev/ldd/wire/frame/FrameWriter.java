package dev.ldd.wire.frame;

import com.google.protobuf.CodedOutputStream;
import dev.ldd.wire.proto.Frame;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes varint32-length-prefixed {@link Frame}s to a stream, buffered until {@link #flush()}. Not
 * thread-safe: one writer thread owns it. Blocks while the stream does.
 */
public final class FrameWriter {
  private final CodedOutputStream out;
  private final int maxFrameBytes;

  public FrameWriter(OutputStream out, int maxFrameBytes) {
    if (maxFrameBytes < 1) {
      throw new IllegalArgumentException("maxFrameBytes must be >= 1, was " + maxFrameBytes);
    }
    this.out = CodedOutputStream.newInstance(out, 64 * 1024);
    this.maxFrameBytes = maxFrameBytes;
  }

  /**
   * Buffers one frame.
   *
   * @throws IllegalArgumentException when the frame is larger than the maximum frame size; nothing is
   *     written then
   */
  public void write(Frame frame) throws IOException {
    int size = checkSize(frame, maxFrameBytes);
    out.writeUInt32NoTag(size);
    frame.writeTo(out);
  }

  /** Writes out what is buffered. */
  public void flush() throws IOException {
    out.flush();
  }

  /**
   * Returns the frame's serialized size, or throws {@link IllegalArgumentException} naming the frame
   * type when it exceeds {@code maxFrameBytes}. Cheap: protobuf caches the size.
   */
  public static int checkSize(Frame frame, int maxFrameBytes) {
    int size = frame.getSerializedSize();
    if (size > maxFrameBytes) {
      throw new IllegalArgumentException(
          frame.getKindCase() + " frame of " + size + " bytes exceeds the maximum frame size of "
              + maxFrameBytes + " bytes");
    }
    return size;
  }
}
