package dev.ldd.wire.frame;

import dev.ldd.wire.proto.Frame;
import java.io.EOFException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Run in a JVM with {@code -XX:MaxDirectMemorySize} too small for a writer's direct buffer: a send
 * then fails with an {@link OutOfMemoryError}. Exits 0 when the channel handled it (closed, the peer
 * saw the end of the stream, the listener heard of it), 1 when frames were left stuck in an open
 * channel. See {@code NioFrameChannelEdgeTest}.
 */
public final class DirectMemoryExhaustion {
  private DirectMemoryExhaustion() {}

  public static void main(String[] args) throws Exception {
    try (IoLoop loop = new IoLoop("oom-io");
        ServerSocket server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        SocketChannel local = SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()));
        Socket remote = server.accept()) {
      remote.setSoTimeout(5_000);
      CompletableFuture<Throwable> closed = new CompletableFuture<>();
      NioFrameChannel channel = new NioFrameChannel(local, new byte[0], loop, FrameReader.DEFAULT_MAX_FRAME_BYTES, "a");
      channel.start(new FrameChannel.Listener() {
        @Override
        public void onFrame(Frame frame) {}

        @Override
        public void onClose(Throwable cause) {
          closed.complete(cause);
        }
      });
      try {
        channel.sendNow(NioFrameChannelEdgeTest.invoke("large", 600 * 1024));
        System.out.println("sendNow returned");
      } catch (Throwable t) {
        System.out.println("sendNow threw " + t);
      }
      boolean queued = channel.sendNow(NioFrameChannelEdgeTest.ping(1));
      FrameReader reader = new FrameReader(remote.getInputStream(), FrameReader.DEFAULT_MAX_FRAME_BYTES);
      Frame f;
      try {
        do {
          f = reader.read();
        } while (f != null && !f.hasPing());
      } catch (java.net.SocketTimeoutException e) {
        System.out.println("STUCK: the channel is " + (channel.isOpen() ? "open" : "closed")
            + ", the ping was " + (queued ? "queued" : "refused") + " and neither arrived nor was the stream ended");
        System.exit(1);
        return;
      } catch (EOFException e) {
        f = null;
      }
      if (f != null) {
        System.out.println("OK: the ping arrived");
      } else {
        System.out.println("OK: closed, cause " + closed.get(5, TimeUnit.SECONDS) + ", open " + channel.isOpen());
      }
      System.exit(0);
    }
  }
}
