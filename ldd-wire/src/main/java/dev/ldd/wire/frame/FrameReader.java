package dev.ldd.wire.frame;

import com.google.protobuf.CodedInputStream;
import dev.ldd.wire.proto.Frame;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads varint32-length-prefixed {@link Frame}s from a stream. The length prefix is checked against
 * the maximum frame size before the frame's buffer is allocated. Not thread-safe: one reader thread
 * owns it. Blocks in {@link #read()} until a whole frame has arrived.
 */
public final class FrameReader {
  /** The default maximum frame size, 16 MiB. */
  public static final int DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024;

  private static final int MAX_PREFIX_BYTES = 5;

  private final Buffer in;
  private final int maxFrameBytes;

  /** Reads from {@code in} through a buffer of its own. */
  public FrameReader(InputStream in, int maxFrameBytes) {
    if (maxFrameBytes < 1) {
      throw new IllegalArgumentException("maxFrameBytes must be >= 1, was " + maxFrameBytes);
    }
    this.in = new Buffer(in);
    this.maxFrameBytes = maxFrameBytes;
  }

  /**
   * Returns the bytes this reader has taken from its stream but not yet decoded (the start of the
   * next frames), and forgets them: for handing a connection over to another reader, such as a
   * {@link NioFrameChannel} after a handshake, without losing what arrived behind the first frame.
   */
  public byte[] takeBuffered() {
    return in.take();
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
      throw oversized(length, maxFrameBytes);
    }
    byte[] body = new byte[(int) length];
    int read = in.readNBytes(body, 0, body.length);
    if (read < body.length) {
      throw new WireProtocolException(
          "truncated frame: the stream ended after " + read + " of its " + length + " bytes");
    }
    // The body array is this frame's alone, so payloads may share it instead of being copied again.
    return parse(body, 0, body.length, true);
  }

  /**
   * Decodes one frame body (the bytes after its length prefix).
   *
   * @param alias whether byte fields may share {@code bytes} instead of copying: only when nothing
   *     writes to that range afterwards
   * @throws WireProtocolException when the body is malformed or a frame of no known type
   */
  static Frame parse(byte[] bytes, int offset, int length, boolean alias) {
    Frame frame;
    try {
      CodedInputStream coded = CodedInputStream.newInstance(bytes, offset, length);
      coded.enableAliasing(alias);
      frame = Frame.parseFrom(coded);
    } catch (IOException e) { // InvalidProtocolBufferException: reading an array fails no other way
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

  /** Reports a length prefix over the maximum, before anything is allocated for the frame. */
  static WireProtocolException oversized(long length, int maxFrameBytes) {
    return new WireProtocolException(
        "frame of " + length + " bytes exceeds the maximum frame size of " + maxFrameBytes + " bytes");
  }

  static WireProtocolException malformedPrefix() {
    return new WireProtocolException(
        "malformed length prefix: a varint32 has at most " + MAX_PREFIX_BYTES + " bytes");
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
    throw malformedPrefix();
  }

  /** A buffered stream whose unread bytes can be taken out. */
  private static final class Buffer extends BufferedInputStream {
    Buffer(InputStream in) {
      super(in, 64 * 1024);
    }

    synchronized byte[] take() {
      if (buf == null || pos >= count) {
        return new byte[0];
      }
      byte[] rest = Arrays.copyOfRange(buf, pos, count);
      pos = count;
      return rest;
    }
  }
}
