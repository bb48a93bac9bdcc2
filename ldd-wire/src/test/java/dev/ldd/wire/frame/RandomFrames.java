package dev.ldd.wire.frame;

import com.google.protobuf.ByteString;
import dev.ldd.wire.proto.Frame;
import dev.ldd.wire.proto.Invoke;
import dev.ldd.wire.proto.Ping;
import dev.ldd.wire.proto.Pong;
import dev.ldd.wire.proto.Publish;
import dev.ldd.wire.proto.PublishAck;
import dev.ldd.wire.proto.Ready;
import dev.ldd.wire.proto.Result;
import dev.ldd.wire.proto.Shutdown;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

/** Random frames of every kind, from a seeded {@link Random}, for property-style tests. */
public final class RandomFrames {
  private final Random random;

  public RandomFrames(long seed) {
    this.random = new Random(seed);
  }

  /** A random frame of the given kind. */
  public Frame of(Frame.KindCase kind) {
    Frame.Builder f = Frame.newBuilder();
    switch (kind) {
      case READY -> f.setReady(Ready.newBuilder().setProtocolMajor(random.nextInt(5)).setProtocolMinor(random.nextInt(5))
          .setFunction(string()).setMaxConcurrency(random.nextInt()).setRuntimeInfo(string()));
      case RESULT -> f.setResult(Result.newBuilder().setInvocationId(string())
          .setCode(Result.Code.forNumber(random.nextInt(4))).setError(string()));
      case PUBLISH -> f.setPublish(Publish.newBuilder().setInvocationId(string()).setPublishId(random.nextLong())
          .setTopic(string()).setPayload(bytes()).putAllProperties(properties()).setCorrelationId(string()));
      case PONG -> f.setPong(Pong.newBuilder().setNonce(random.nextLong()));
      case INVOKE -> f.setInvoke(Invoke.newBuilder().setInvocationId(string()).setTopic(string()).setPayload(bytes())
          .putAllProperties(properties()).setMessageId(string()).setCorrelationId(string()).setReplyTo(string())
          .setRedelivered(random.nextBoolean()).setDeliveryCount(random.nextInt())
          .setDeadlineUnixMillis(random.nextLong()));
      case PUBLISH_ACK -> f.setPublishAck(PublishAck.newBuilder().setPublishId(random.nextLong())
          .setOk(random.nextBoolean()).setError(string()));
      case PING -> f.setPing(Ping.newBuilder().setNonce(random.nextLong()));
      case SHUTDOWN -> f.setShutdown(Shutdown.newBuilder().setGraceMillis(random.nextInt()));
      default -> throw new IllegalArgumentException("no such frame kind: " + kind);
    }
    return f.build();
  }

  /** A random frame of a random kind. */
  public Frame any() {
    Frame.KindCase[] kinds = Frame.KindCase.values();
    Frame.KindCase kind;
    do {
      kind = kinds[random.nextInt(kinds.length)];
    } while (kind == Frame.KindCase.KIND_NOT_SET);
    return of(kind);
  }

  public byte[] garbage(int maxLength) {
    byte[] b = new byte[random.nextInt(maxLength + 1)];
    random.nextBytes(b);
    return b;
  }

  private String string() {
    int length = random.nextInt(4) == 0 ? 0 : random.nextInt(40);
    StringBuilder sb = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      // ASCII, two-, three- and four-byte UTF-8 alike
      int cp = switch (random.nextInt(4)) {
        case 0 -> 0x20 + random.nextInt(0x5f);
        case 1 -> 0xa0 + random.nextInt(0x700);
        case 2 -> 0x4e00 + random.nextInt(0x5000);
        default -> 0x1f600 + random.nextInt(0x50);
      };
      sb.appendCodePoint(cp);
    }
    return sb.toString();
  }

  private ByteString bytes() {
    byte[] b = new byte[random.nextInt(8) == 0 ? random.nextInt(70_000) : random.nextInt(300)];
    random.nextBytes(b);
    return ByteString.copyFrom(b);
  }

  private Map<String, String> properties() {
    Map<String, String> m = new HashMap<>();
    int n = random.nextInt(6);
    for (int i = 0; i < n; i++) {
      m.put(string(), string());
    }
    return m;
  }
}
