package dev.ldd.wire.conformance;

import com.google.protobuf.ByteString;
import dev.ldd.wire.frame.Dialer;
import dev.ldd.wire.frame.FrameReader;
import dev.ldd.wire.frame.FrameWriter;
import dev.ldd.wire.frame.ProtocolVersion;
import dev.ldd.wire.frame.WireProtocolException;
import dev.ldd.wire.proto.Frame;
import dev.ldd.wire.proto.Invoke;
import dev.ldd.wire.proto.Ping;
import dev.ldd.wire.proto.Publish;
import dev.ldd.wire.proto.PublishAck;
import dev.ldd.wire.proto.Ready;
import dev.ldd.wire.proto.Result;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * Checks any wrapper against the wire protocol, playing the daemon over one TCP connection. The wrapper
 * must serve the conformance function (PROTOCOL.md) and be freshly started: it accepts one connection,
 * and the last check closes it and expects the wrapper to exit.
 *
 * <p>Run it as {@code java -cp ldd-wire.jar:protobuf-java.jar dev.ldd.wire.conformance.ConformanceKit
 * host:port}; it prints one line per check and exits with status 0 when all passed. Single-threaded and
 * blocking; needs no ldd-core.
 */
public final class ConformanceKit {
  /** The outcome of one check. */
  public record Check(String name, boolean passed, String detail) {
    @Override
    public String toString() {
      return (passed ? "PASS " : "FAIL ") + name + (detail.isEmpty() ? "" : ": " + detail);
    }
  }

  /** Every check's outcome, in the order they ran. */
  public record Report(List<Check> checks) {
    public Report {
      checks = List.copyOf(checks);
    }

    public boolean allPassed() {
      return checks.stream().allMatch(Check::passed);
    }

    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder();
      checks.forEach(c -> sb.append(c).append('\n'));
      return sb.append(allPassed() ? "all checks passed" : "SOME CHECKS FAILED").toString();
    }
  }

  /** A check's failure: the message is the detail. */
  private static final class CheckFailed extends Exception {
    CheckFailed(String message) {
      super(message);
    }
  }

  @FunctionalInterface
  private interface Body {
    String run() throws Exception;
  }

  private static final int MAX_FRAME_BYTES = FrameReader.DEFAULT_MAX_FRAME_BYTES;

  private final InetSocketAddress address;
  private final Duration timeout;
  private final List<Check> checks = new ArrayList<>();
  private Socket socket;
  private FrameReader reader;
  private FrameWriter writer;
  private Ready ready;
  private int nextId;
  private boolean connectionBroken;

  private ConformanceKit(InetSocketAddress address, Duration timeout) {
    this.address = address;
    this.timeout = timeout;
  }

  /** Usage: {@code ConformanceKit host:port [timeoutSeconds]}. */
  public static void main(String[] args) {
    if (args.length < 1 || !args[0].contains(":")) {
      System.err.println("usage: ConformanceKit host:port [timeoutSeconds]");
      System.exit(64);
    }
    String target = args[0];
    int colon = target.lastIndexOf(':');
    Duration timeout = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 10);
    Report report = run(target.substring(0, colon), Integer.parseInt(target.substring(colon + 1)), timeout);
    System.out.println(report);
    System.exit(report.allPassed() ? 0 : 1);
  }

  /**
   * Runs every check against the wrapper at {@code host:port}. {@code timeout} bounds the wait for the
   * Ready frame and for each expected frame. Blocks until done.
   */
  public static Report run(String host, int port, Duration timeout) {
    ConformanceKit kit = new ConformanceKit(new InetSocketAddress(host, port), timeout);
    kit.runAll();
    return new Report(kit.checks);
  }

  private void runAll() {
    check("handshake", this::handshake);
    if (ready == null) {
      return;
    }
    check("ping", this::ping);
    check("echo", () -> expectResult(invoke(Topics.ECHO, "hello", Map.of()), Result.Code.OK, null));
    check("inspect", this::inspect);
    check("exception-is-error", () -> expectResult(invoke(Topics.ERROR, "boom 42", Map.of()), Result.Code.ERROR, "boom 42"));
    check("reject", () -> expectResult(invoke(Topics.REJECT, "poison 7", Map.of()), Result.Code.REJECT, "poison 7"));
    check("publish-acknowledged", () -> publish(true));
    check("publish-refused", () -> publish(false));
    check("reply", this::reply);
    check("multiplexing", this::multiplexing);
    check("close-makes-wrapper-exit", this::closeMakesWrapperExit);
  }

  private void check(String name, Body body) {
    if (connectionBroken) {
      checks.add(new Check(name, false, "not run: the connection broke in an earlier check"));
      return;
    }
    try {
      checks.add(new Check(name, true, body.run()));
    } catch (CheckFailed e) {
      checks.add(new Check(name, false, e.getMessage()));
    } catch (SocketTimeoutException e) {
      checks.add(new Check(name, false, "no frame within " + timeout));
    } catch (IOException | WireProtocolException | UncheckedIOException e) {
      connectionBroken = true;
      checks.add(new Check(name, false, e.toString()));
    } catch (Exception e) {
      checks.add(new Check(name, false, e.toString()));
    }
  }

  private String handshake() throws Exception {
    Dialer.Dialed dialed;
    try {
      dialed = new Dialer(address, Duration.ofSeconds(1), Duration.ofMillis(20), MAX_FRAME_BYTES, Clock.systemUTC())
          .dial(Clock.systemUTC().instant().plus(timeout));
    } catch (TimeoutException e) {
      throw new CheckFailed("no Ready frame from " + address + " within " + timeout + " (" + e.getMessage() + ")");
    }
    socket = dialed.socket();
    socket.setSoTimeout((int) timeout.toMillis());
    reader = dialed.reader();
    writer = new FrameWriter(socket.getOutputStream(), MAX_FRAME_BYTES);
    Frame first = dialed.first();
    if (!first.hasReady()) {
      throw new CheckFailed("first frame is " + first.getKindCase() + ", expected READY");
    }
    Ready r = first.getReady();
    if (!ProtocolVersion.CURRENT.isCompatibleWith(new ProtocolVersion(r.getProtocolMajor(), r.getProtocolMinor()))) {
      throw new CheckFailed("speaks protocol " + r.getProtocolMajor() + "." + r.getProtocolMinor() + ", expected 1.x");
    }
    require(!r.getFunction().isEmpty(), "Ready has no function name");
    require(r.getMaxConcurrency() >= 1, "Ready has max_concurrency " + r.getMaxConcurrency());
    ready = r;
    return "protocol " + r.getProtocolMajor() + "." + r.getProtocolMinor() + ", function '" + r.getFunction()
        + "', max_concurrency " + r.getMaxConcurrency() + ", runtime '" + r.getRuntimeInfo() + "'";
  }

  private String ping() throws Exception {
    send(Frame.newBuilder().setPing(Ping.newBuilder().setNonce(0xC0FFEEL)).build());
    Frame f = next();
    require(f.hasPong(), "expected PONG, got " + f.getKindCase());
    require(f.getPong().getNonce() == 0xC0FFEEL, "Pong nonce " + f.getPong().getNonce() + ", expected " + 0xC0FFEEL);
    return "";
  }

  private String inspect() throws Exception {
    Invoke.Builder in = invokeBuilder(Topics.INSPECT, "inspect me", Map.of("colour", "blue"))
        .setMessageId("msg-1").setCorrelationId("corr-1").setReplyTo("replies/1")
        .setRedelivered(true).setDeliveryCount(3);
    String id = in.getInvocationId();
    send(Frame.newBuilder().setInvoke(in).build());
    Publish p = expectPublish(id);
    Map<String, String> props = p.getPropertiesMap();
    Map<String, String> expected = Map.of(
        "colour", "blue", "ldd.topic", Topics.INSPECT, "ldd.message_id", "msg-1", "ldd.correlation_id", "corr-1",
        "ldd.reply_to", "replies/1", "ldd.redelivered", "true", "ldd.delivery_count", "3",
        "ldd.deadline_unix_millis", Long.toString(in.getDeadlineUnixMillis()));
    for (Map.Entry<String, String> e : expected.entrySet()) {
      require(e.getValue().equals(props.get(e.getKey())),
          "property " + e.getKey() + " is '" + props.get(e.getKey()) + "', expected '" + e.getValue() + "'");
    }
    require(p.getTopic().equals(Topics.INSPECTED), "published to '" + p.getTopic() + "', expected " + Topics.INSPECTED);
    require(p.getPayload().toStringUtf8().equals("inspect me"), "payload not passed through");
    ack(p, true);
    return expectResult(id, Result.Code.OK, null);
  }

  private String publish(boolean accept) throws Exception {
    String id = invoke(Topics.PUBLISH, "out " + accept, Map.of(Topics.TOPIC_PROPERTY, "kit/out", "k", "v"));
    Publish p = expectPublish(id);
    require(p.getTopic().equals("kit/out"), "published to '" + p.getTopic() + "', expected kit/out");
    require(p.getPayload().toStringUtf8().equals("out " + accept), "payload not passed through");
    require("v".equals(p.getPropertiesMap().get("k")), "properties not passed through: " + p.getPropertiesMap());
    ack(p, accept);
    return accept
        ? expectResult(id, Result.Code.OK, null)
        : expectResult(id, Result.Code.ERROR, "refused by the conformance kit");
  }

  private String reply() throws Exception {
    Invoke.Builder in = invokeBuilder(Topics.REPLY, "answer", Map.of()).setReplyTo("kit/replies").setCorrelationId("c-9");
    send(Frame.newBuilder().setInvoke(in).build());
    Publish p = expectPublish(in.getInvocationId());
    require(p.getTopic().equals("kit/replies"), "reply went to '" + p.getTopic() + "', expected kit/replies");
    require(p.getCorrelationId().equals("c-9"), "reply correlation id '" + p.getCorrelationId() + "', expected c-9");
    ack(p, true);
    return expectResult(in.getInvocationId(), Result.Code.OK, null);
  }

  private String multiplexing() throws Exception {
    int n = Math.min(ready.getMaxConcurrency(), 8);
    if (n < 2) {
      return "skipped: max_concurrency is 1";
    }
    List<String> sent = new ArrayList<>();
    long started = System.nanoTime();
    for (int i = 0; i < n; i++) {
      // The first sent sleeps longest, so a wrapper that runs them at once answers in reverse order.
      sent.add(invoke(Topics.SLEEP, Long.toString(100L * (n - i)), Map.of()));
    }
    List<String> answered = new ArrayList<>();
    Set<String> outstanding = new HashSet<>(sent);
    while (!outstanding.isEmpty()) {
      Frame f = next();
      require(f.hasResult(), "expected RESULT, got " + f.getKindCase());
      require(outstanding.remove(f.getResult().getInvocationId()),
          "Result for unknown or repeated id '" + f.getResult().getInvocationId() + "'");
      require(f.getResult().getCode() == Result.Code.OK, "sleep returned " + f.getResult().getCode());
      answered.add(f.getResult().getInvocationId());
    }
    long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
    long serialMillis = 100L * n * (n + 1) / 2;
    require(elapsedMillis < serialMillis, n + " sleeps took " + elapsedMillis + " ms; run one after another they take "
        + serialMillis + " ms: invocations are not concurrent");
    require(!answered.equals(sent), "results came back in the order sent although the later ones were shorter");
    return n + " invocations in " + elapsedMillis + " ms, answered out of order";
  }

  private String closeMakesWrapperExit() throws Exception {
    socket.shutdownOutput(); // the wrapper sees the daemon close its side
    Frame f;
    try {
      f = reader.read();
    } catch (IOException e) {
      f = null; // a reset is as good as an orderly close here
    }
    require(f == null, "wrapper sent " + (f == null ? "" : f.getKindCase()) + " after the daemon closed, expected it to close");
    socket.close();
    try (Socket again = new Socket()) {
      again.connect(address, 1000);
      again.setSoTimeout(1000);
      Frame late = new FrameReader(again.getInputStream(), MAX_FRAME_BYTES).read();
      require(late == null, "the wrapper still accepts connections and sent " + late.getKindCase());
    } catch (IOException e) {
      // refused or reset: nobody listens any more
    }
    return "wrapper closed its end and stopped listening";
  }

  private Invoke.Builder invokeBuilder(String topic, String payload, Map<String, String> properties) {
    return Invoke.newBuilder()
        .setInvocationId("kit-" + (++nextId))
        .setTopic(topic)
        .setPayload(ByteString.copyFromUtf8(payload))
        .putAllProperties(properties)
        .setDeliveryCount(1)
        .setDeadlineUnixMillis(System.currentTimeMillis() + timeout.toMillis());
  }

  private String invoke(String topic, String payload, Map<String, String> properties) throws IOException {
    Invoke.Builder in = invokeBuilder(topic, payload, properties);
    send(Frame.newBuilder().setInvoke(in).build());
    return in.getInvocationId();
  }

  private Publish expectPublish(String invocationId) throws Exception {
    Frame f = next();
    require(f.hasPublish(), "expected PUBLISH before the Result, got " + describe(f));
    require(f.getPublish().getInvocationId().equals(invocationId),
        "Publish for invocation '" + f.getPublish().getInvocationId() + "', expected '" + invocationId + "'");
    return f.getPublish();
  }

  private void ack(Publish p, boolean ok) throws IOException {
    PublishAck.Builder a = PublishAck.newBuilder().setPublishId(p.getPublishId()).setOk(ok);
    if (!ok) {
      a.setError("refused by the conformance kit");
    }
    send(Frame.newBuilder().setPublishAck(a).build());
  }

  private String expectResult(String invocationId, Result.Code code, String errorContains) throws Exception {
    Frame f = next();
    require(f.hasResult(), "expected RESULT, got " + describe(f));
    Result r = f.getResult();
    require(r.getInvocationId().equals(invocationId), "Result for '" + r.getInvocationId() + "', expected '" + invocationId + "'");
    require(r.getCode() == code, "code " + r.getCode() + " (" + r.getError() + "), expected " + code);
    if (errorContains != null) {
      require(r.getError().contains(errorContains), "error '" + r.getError() + "' does not contain '" + errorContains + "'");
    }
    return "";
  }

  private static String describe(Frame f) {
    return f.hasResult() ? "RESULT " + f.getResult().getCode() + " '" + f.getResult().getError() + "'" : f.getKindCase().toString();
  }

  private void send(Frame frame) throws IOException {
    writer.write(frame);
    writer.flush();
  }

  private Frame next() throws IOException {
    Frame f = reader.read();
    if (f == null) {
      throw new IOException("the wrapper closed the connection");
    }
    return f;
  }

  private static void require(boolean condition, String failure) throws CheckFailed {
    if (!condition) {
      throw new CheckFailed(failure);
    }
  }
}
