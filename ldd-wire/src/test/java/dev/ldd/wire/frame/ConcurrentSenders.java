package dev.ldd.wire.frame;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ldd.wire.proto.Frame;
import dev.ldd.wire.proto.Ping;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

/**
 * Sender threads for the channels' ordering tests: each thread sends its frames numbered 0..n-1, every
 * third with {@code sendNow} and the rest with {@code send}, all starting at once; the reading side
 * then checks that every thread's frames arrived, complete and in that thread's order.
 */
final class ConcurrentSenders {
  /** The frame number {@code i} of sender {@code thread} sends. */
  interface FrameOf {
    Frame of(long thread, long i);
  }

  /** The sender and number a received frame carries: {@code {thread, i}}. */
  interface Numbering {
    long[] of(Frame frame);
  }

  /** Pings whose nonce carries the sender in its high and the number in its low 32 bits. */
  static final FrameOf PINGS = (thread, i) -> Frame.newBuilder().setPing(Ping.newBuilder().setNonce(thread << 32 | i)).build();

  static final Numbering PING_NUMBERING = f -> new long[] {f.getPing().getNonce() >>> 32, f.getPing().getNonce() & 0xffffffffL};

  private final int threads;
  private final int perThread;
  private final List<Thread> senders = new ArrayList<>();

  /** Starts the senders; they send once all of them are running. */
  ConcurrentSenders(int threads, int perThread, FrameOf frameOf, Consumer<Frame> sendNow, Consumer<Frame> send) {
    this.threads = threads;
    this.perThread = perThread;
    CountDownLatch go = new CountDownLatch(1);
    for (int t = 0; t < threads; t++) {
      long thread = t;
      Thread sender = new Thread(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          return;
        }
        for (long i = 0; i < perThread; i++) {
          Frame f = frameOf.of(thread, i);
          if (i % 3 == 0) {
            sendNow.accept(f);
          } else {
            send.accept(f);
          }
        }
      }, "sender-" + t);
      sender.start();
      senders.add(sender);
    }
    go.countDown();
  }

  /** Reads every frame the senders send and checks each sender's arrived complete and in order. */
  void assertAllArriveInEachThreadsOrder(FrameReader reader, Numbering numbering) throws Exception {
    Map<Long, Long> nextExpected = new HashMap<>();
    for (int n = 0; n < threads * perThread; n++) {
      long[] number = numbering.of(reader.read());
      assertThat(number[1]).as("frame of thread %d", number[0]).isEqualTo(nextExpected.getOrDefault(number[0], 0L));
      nextExpected.put(number[0], number[1] + 1);
    }
    for (Thread s : senders) {
      s.join(10_000);
    }
    assertThat(nextExpected.values()).containsOnly((long) perThread);
  }
}
