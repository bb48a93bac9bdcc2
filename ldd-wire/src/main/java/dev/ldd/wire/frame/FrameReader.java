package dev.ldd.wire.frame;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.ldd.wire.proto.Frame;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads varint32-length-prefixed {@link Frame}s from a stream. The length prefix is checked against
 * the maximum frame size before the frame's buffer is allocated. Not thread-safe: one reader thread
 * owns it. Blocks in {@link #read()} until a whole frame has arrived.
 */
public final class FrameReader {
  /** The default maximum frame size, 16 MiB. */
  public static final int DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024;

  private static final int MAX_PREFIX_BYTES = 5;

  private final InputStream in;
  private final int maxFrameBytes;

  /** Reads from {@code in}, buffering it unless it is already a {@link BufferedInputStream}. */
  public FrameReader(InputStream in, int maxFrameBytes) {
    if (maxFrameBytes < 1) {
      throw new IllegalArgumentException("maxFrameBytes must be >= 1, was " + maxFrameBytes);
    }
    this.in = in instanceof BufferedInputStream ? in : new BufferedInputStream(in, 64 * 1024);
    this.maxFrameBytes = maxFrameBytes;
  }

  /**
   * Reads the next frame, or returns null when the stream ends cleanly between two frames.
   *
   * @throws WireProtocolException when the input is truncated, oversized, malformed, or a frame of no
   *     known type
   * @throws IOException when reading fails
   */
  public Frame read() throws IOException {
    int first = in.read();
    if (first < 0) {
      return null;
    }
    long length = readLength(first);
    if (length > maxFrameBytes) {
      throw new WireProtocolException(
          "frame of " + length + " bytes exceeds the maximum frame size of " + maxFrameBytes + " bytes");
    }
    byte[] body = new byte[(int) length];
    int read = in.readNBytes(body, 0, body.length);
    if (read < body.length) {
      throw new WireProtocolException(
          "truncated frame: the stream ended after " + read + " of its " + length + " bytes");
    }
    Frame frame;
    try {
      CodedInputStream coded = CodedInputStream.newInstance(body);
      coded.enableAliasing(true); // payloads share the frame's buffer instead of being copied again
      frame = Frame.parseFrom(coded);
    } catch (InvalidProtocolBufferException e) {
      throw new WireProtocolException("malformed frame of " + length + " bytes: " + e.getMessage(), e);
    }
    if (frame.getKindCase() == Frame.KindCase.KIND_NOT_SET) {
      throw new WireProtocolException(
          frame.getUnknownFields().asMap().isEmpty()
              ? "empty frame of " + length + " bytes: no frame type set"
              : "unknown frame type (field " + frame.getUnknownFields().asMap().keySet() + ")");
    }
    return frame;
  }

  private long readLength(int first) throws IOException {
    long value = 0;
    int b = first;
    for (int i = 0; i < MAX_PREFIX_BYTES; i++) {
      if (i > 0) {
        b = in.read();
        if (b < 0) {
          throw new WireProtocolException("truncated frame: the stream ended inside a length prefix");
        }
      }
      value |= (long) (b & 0x7f) << (7 * i);
      if ((b & 0x80) == 0) {
        return value;
      }
    }
    throw new WireProtocolException(
        "malformed length prefix: a varint32 has at most " + MAX_PREFIX_BYTES + " bytes");
  }
}
