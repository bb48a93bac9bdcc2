package dev.ldd.wire.frame;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import dev.ldd.wire.proto.Frame;
import dev.ldd.wire.proto.Invoke;
import dev.ldd.wire.proto.Ping;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class FrameCodecTest {
  private static final int MAX = FrameReader.DEFAULT_MAX_FRAME_BYTES;

  @ParameterizedTest
  @EnumSource(value = Frame.KindCase.class, names = "KIND_NOT_SET", mode = EnumSource.Mode.EXCLUDE)
  void everyFrameKindSurvivesARoundTrip(Frame.KindCase kind) throws IOException {
    RandomFrames random = new RandomFrames(kind.ordinal() * 7919L);
    List<Frame> frames = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      frames.add(random.of(kind));
    }
    assertThat(readAll(writeAll(frames))).containsExactlyElementsOf(frames);
  }

  @Test
  void mixedStreamsOfFramesSurviveARoundTrip() throws IOException {
    for (long seed = 0; seed < 50; seed++) {
      RandomFrames random = new RandomFrames(seed);
      List<Frame> frames = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        frames.add(random.any());
      }
      assertThat(readAll(writeAll(frames))).as("seed %d", seed).containsExactlyElementsOf(frames);
    }
  }

  @Test
  void framingIsProtobufDelimitedFraming() throws IOException {
    RandomFrames random = new RandomFrames(42);
    for (int i = 0; i < 200; i++) {
      Frame frame = random.any();
      ByteArrayOutputStream delimited = new ByteArrayOutputStream();
      frame.writeDelimitedTo(delimited);
      assertThat(writeAll(List.of(frame))).isEqualTo(delimited.toByteArray());
      assertThat(Frame.parseDelimitedFrom(new ByteArrayInputStream(writeAll(List.of(frame))))).isEqualTo(frame);
    }
  }

  @Test
  void endOfStreamBetweenFramesIsACleanEnd() throws IOException {
    assertThat(new FrameReader(new ByteArrayInputStream(new byte[0]), MAX).read()).isNull();
  }

  @Test
  void everyTruncationOfAFrameIsRejectedAsTruncated() throws IOException {
    byte[] whole = writeAll(List.of(new RandomFrames(3).of(Frame.KindCase.INVOKE)));
    for (int cut = 1; cut < whole.length; cut++) {
      byte[] prefix = Arrays.copyOf(whole, cut);
      assertThatThrownBy(() -> readAll(prefix)).as("cut at %d of %d", cut, whole.length)
          .isInstanceOf(WireProtocolException.class)
          .hasMessageContaining("truncated");
    }
  }

  @Test
  void oversizedPrefixIsRejectedBeforeTheBodyIsAllocatedOrRead() {
    // The largest length five varint bytes can carry; then a stream that must never be read.
    InputStream prefix = new ByteArrayInputStream(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f});
    InputStream untouchable = new InputStream() {
      @Override
      public int read() {
        throw new AssertionError("the body of an oversized frame was read");
      }
    };
    FrameReader reader = new FrameReader(new SequenceInputStream(prefix, untouchable), 1 << 20);
    assertThatThrownBy(reader::read)
        .isInstanceOf(WireProtocolException.class)
        .hasMessage("frame of 34359738367 bytes exceeds the maximum frame size of 1048576 bytes");
  }

  @Test
  void frameOneByteOverTheMaximumIsRejected() {
    Frame frame = Frame.newBuilder().setInvoke(Invoke.newBuilder().setPayload(ByteString.copyFrom(new byte[2000]))).build();
    byte[] bytes = writeAll(List.of(frame));
    int size = frame.getSerializedSize();
    assertThatThrownBy(() -> new FrameReader(new ByteArrayInputStream(bytes), size - 1).read())
        .isInstanceOf(WireProtocolException.class)
        .hasMessageContaining("frame of " + size + " bytes exceeds the maximum frame size of " + (size - 1));
  }

  @Test
  void lengthPrefixLongerThanFiveBytesIsMalformed() {
    byte[] bytes = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x01};
    assertThatThrownBy(() -> readAll(bytes))
        .isInstanceOf(WireProtocolException.class)
        .hasMessageContaining("malformed length prefix");
  }

  @Test
  void garbageBodyIsMalformed() {
    assertThatThrownBy(() -> readAll(new byte[] {4, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff}))
        .isInstanceOf(WireProtocolException.class)
        .hasMessageContaining("malformed frame of 4 bytes");
  }

  @Test
  void emptyFrameIsRejected() {
    assertThatThrownBy(() -> readAll(new byte[] {0}))
        .isInstanceOf(WireProtocolException.class)
        .hasMessageContaining("empty frame");
  }

  @Test
  void frameOfUnknownTypeIsRejectedNamingItsField() {
    Frame future = Frame.newBuilder()
        .setUnknownFields(UnknownFieldSet.newBuilder()
            .addField(99, UnknownFieldSet.Field.newBuilder().addLengthDelimited(ByteString.copyFromUtf8("x")).build())
            .build())
        .build();
    assertThatThrownBy(() -> readAll(writeAll(List.of(future))))
        .isInstanceOf(WireProtocolException.class)
        .hasMessage("unknown frame type (field [99])");
  }

  @Test
  void randomGarbageNeverFailsWithAnythingButAProtocolError() throws IOException {
    RandomFrames random = new RandomFrames(1234);
    int rejected = 0;
    for (int i = 0; i < 2000; i++) {
      byte[] garbage = random.garbage(64);
      try {
        readAll(garbage);
      } catch (WireProtocolException e) {
        rejected++;
      }
    }
    assertThat(rejected).isGreaterThan(1000);
  }

  @Test
  void writerRefusesAnOversizedFrameAndWritesNothing() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    FrameWriter writer = new FrameWriter(out, 1024);
    Frame big = Frame.newBuilder().setInvoke(Invoke.newBuilder().setPayload(ByteString.copyFrom(new byte[2000]))).build();
    assertThatThrownBy(() -> writer.write(big))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("INVOKE frame of")
        .hasMessageContaining("exceeds the maximum frame size of 1024 bytes");
    assertThat(out.size()).isZero();
    // and the writer is still usable
    writer.write(Frame.newBuilder().setPing(Ping.newBuilder().setNonce(1)).build());
    writer.flush();
    assertThat(out.toByteArray()).containsExactly(4, 98, 2, 8, 1);
  }

  private static byte[] writeAll(List<Frame> frames) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    FrameWriter writer = new FrameWriter(out, MAX);
    try {
      for (Frame f : frames) {
        writer.write(f);
      }
      writer.flush();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return out.toByteArray();
  }

  private static List<Frame> readAll(byte[] bytes) throws IOException {
    FrameReader reader = new FrameReader(new ByteArrayInputStream(bytes), MAX);
    List<Frame> frames = new ArrayList<>();
    for (Frame f = reader.read(); f != null; f = reader.read()) {
      frames.add(f);
    }
    return frames;
  }
}
