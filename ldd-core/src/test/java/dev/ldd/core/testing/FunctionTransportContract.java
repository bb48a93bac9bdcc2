package dev.ldd.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ldd.core.InstanceLostException;
import dev.ldd.core.InvocationTimeoutException;
import dev.ldd.core.PlatformException;
import dev.ldd.core.model.Invocation;
import dev.ldd.core.model.InvocationResult;
import dev.ldd.core.model.ResultCode;
import dev.ldd.core.spi.Endpoint;
import dev.ldd.core.spi.FunctionConnection;
import dev.ldd.core.spi.FunctionTransport;
import dev.ldd.core.spi.InboundMessage;
import dev.ldd.core.spi.Publication;
import dev.ldd.core.spi.PublicationSink;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link FunctionTransport} passes. An implementation's test extends this class and
 * supplies the transport, a way to start an instance that behaves in one of a few fixed ways, a way to
 * make one die, and its notion of time.
 */
public abstract class FunctionTransportContract {
  /** What every invocation of a started instance does. */
  public enum Behaviour {
    /** Returns OK. */
    OK,
    /** Returns ERROR with the text {@code contract error}. */
    ERROR,
    /** Returns REJECT with the text {@code contract reject}. */
    REJECT,
    /** Never answers. */
    HANG,
    /** Publishes the payload to topic {@code contract/out} (waiting for the daemon's answer), then OK. */
    PUBLISH_THEN_OK
  }

  private FunctionTransport transport;
  private final List<Published> published = new CopyOnWriteArrayList<>();
  private final PublicationSink sink = this::taken;
  private int sequence;

  record Published(String invocationId, Publication publication) {}

  protected abstract FunctionTransport createTransport() throws Exception;

  /** Starts an instance of function {@code contract} doing {@code behaviour}, announcing {@code concurrency}. */
  protected abstract Endpoint startInstance(Behaviour behaviour, int concurrency) throws Exception;

  /** Makes the instance at {@code endpoint} die without the transport's doing. */
  protected abstract void crash(Endpoint endpoint) throws Exception;

  /** The transport's current time. */
  protected abstract Instant now();

  /** Lets {@code d} pass on the transport's clock (real transports just let it pass: do nothing). */
  protected abstract void letTimePass(Duration d) throws Exception;

  /** How long any one operation may take. */
  protected Duration patience() {
    return Duration.ofSeconds(10);
  }

  /** An endpoint where nothing listens. */
  protected Endpoint nothingListening() throws Exception {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return new Endpoint("127.0.0.1", s.getLocalPort());
    }
  }

  @BeforeEach
  final void createTheTransport() throws Exception {
    transport = createTransport();
  }

  @AfterEach
  final void closeTheTransport() {
    transport.close();
  }

  private CompletionStage<Void> taken(String invocationId, Publication p) {
    published.add(new Published(invocationId, p));
    return CompletableFuture.completedFuture(null);
  }

  private FunctionConnection connect(Behaviour behaviour, int concurrency) throws Exception {
    Endpoint e = startInstance(behaviour, concurrency);
    return await(transport.connect("contract-" + (++sequence), e, patience(), sink));
  }

  private Invocation invocation(Duration timeout) {
    String id = "inv-" + (++sequence);
    return new Invocation(id, "contract", InboundMessage.of("q", "contract/in", id.getBytes()),
        now().plus(timeout));
  }

  private <T> T await(CompletableFuture<T> f) throws Exception {
    try {
      return f.get(patience().toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw e;
    }
  }

  @Test
  void connectCompletesWithTheWrappersReadyHandshake() throws Exception {
    FunctionConnection c = connect(Behaviour.OK, 3);

    assertThat(c.ready().function()).isEqualTo("contract");
    assertThat(c.ready().maxConcurrency()).isEqualTo(3);
    assertThat(c.ready().protocolVersion()).startsWith("1.");
    assertThat(c.closed()).isNotDone();
  }

  @Test
  void eachResultCodeComesBackWithItsText() throws Exception {
    assertThat(await(connect(Behaviour.OK, 1).invoke(invocation(patience())))).isEqualTo(InvocationResult.ok());
    InvocationResult error = await(connect(Behaviour.ERROR, 1).invoke(invocation(patience())));
    assertThat(error.code()).isEqualTo(ResultCode.ERROR);
    assertThat(error.error()).contains("contract error");
    InvocationResult reject = await(connect(Behaviour.REJECT, 1).invoke(invocation(patience())));
    assertThat(reject.code()).isEqualTo(ResultCode.REJECT);
    assertThat(reject.error()).contains("contract reject");
  }

  @Test
  void invocationsAreMultiplexedUpToTheAnnouncedConcurrency() throws Exception {
    FunctionConnection c = connect(Behaviour.OK, 4);
    List<CompletableFuture<InvocationResult>> results = new java.util.ArrayList<>();
    for (int i = 0; i < 4; i++) {
      results.add(c.invoke(invocation(patience())));
    }
    for (CompletableFuture<InvocationResult> r : results) {
      assertThat(await(r)).isEqualTo(InvocationResult.ok());
    }
  }

  @Test
  void aPublicationReachesTheSinkBeforeItsInvocationsResult() throws Exception {
    FunctionConnection c = connect(Behaviour.PUBLISH_THEN_OK, 1);
    Invocation inv = invocation(patience());

    assertThat(await(c.invoke(inv))).isEqualTo(InvocationResult.ok());

    assertThat(published).singleElement().satisfies(p -> {
      assertThat(p.invocationId()).isEqualTo(inv.id());
      assertThat(p.publication().topic()).isEqualTo("contract/out");
      assertThat(p.publication().payload()).isEqualTo(inv.message().payload());
    });
  }

  @Test
  void aPassedDeadlineFailsTheInvocationWithATimeout() throws Exception {
    FunctionConnection c = connect(Behaviour.HANG, 1);
    CompletableFuture<InvocationResult> r = c.invoke(invocation(Duration.ofMillis(200)));

    letTimePass(Duration.ofMillis(300));

    assertThatThrownBy(() -> await(r)).isInstanceOf(InvocationTimeoutException.class);
  }

  @Test
  void closingFailsTheInvocationsInFlightAndCompletesClosed() throws Exception {
    FunctionConnection c = connect(Behaviour.HANG, 2);
    CompletableFuture<InvocationResult> a = c.invoke(invocation(patience()));
    CompletableFuture<InvocationResult> b = c.invoke(invocation(patience()));

    c.close();

    assertThatThrownBy(() -> await(a)).isInstanceOf(InstanceLostException.class);
    assertThatThrownBy(() -> await(b)).isInstanceOf(InstanceLostException.class);
    await(c.closed());
    assertThatThrownBy(() -> await(c.invoke(invocation(patience())))).isInstanceOf(InstanceLostException.class);
  }

  @Test
  void anInstanceThatDiesMidInvocationFailsExactlyItsInvocations() throws Exception {
    Endpoint dying = startInstance(Behaviour.HANG, 1);
    FunctionConnection doomed = await(transport.connect("contract-dying", dying, patience(), sink));
    FunctionConnection healthy = connect(Behaviour.OK, 1);
    CompletableFuture<InvocationResult> lost = doomed.invoke(invocation(patience()));

    crash(dying);

    assertThatThrownBy(() -> await(lost)).isInstanceOf(InstanceLostException.class);
    await(doomed.closed());
    assertThat(await(healthy.invoke(invocation(patience())))).isEqualTo(InvocationResult.ok());
  }

  @Test
  void connectingWhereNothingListensFailsWithAPlatformExceptionWithinTheStartTimeout() throws Exception {
    CompletableFuture<FunctionConnection> c =
        transport.connect("contract-nowhere", nothingListening(), Duration.ofMillis(500), sink);

    letTimePass(Duration.ofMillis(600));

    assertThatThrownBy(() -> await(c)).isInstanceOf(PlatformException.class);
  }

  /** The publication a {@link Behaviour#PUBLISH_THEN_OK} instance makes for {@code invocation}. */
  protected static Publication publicationFor(byte[] payload) {
    return new Publication("contract/out", payload, Map.of());
  }
}
