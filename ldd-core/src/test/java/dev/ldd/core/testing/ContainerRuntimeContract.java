package dev.ldd.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ldd.core.PlatformException;
import dev.ldd.core.model.FunctionSpec;
import dev.ldd.core.spi.ContainerRuntime;
import dev.ldd.core.spi.InstanceExit;
import dev.ldd.core.spi.InstanceRequest;
import dev.ldd.core.spi.OwnedInstance;
import dev.ldd.core.spi.RuntimeInstance;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link ContainerRuntime} passes. An implementation's test extends this class and
 * supplies a runtime, a function that starts and keeps running until stopped, one that cannot start,
 * and a way to kill an instance behind the runtime's back.
 */
public abstract class ContainerRuntimeContract {
  private ContainerRuntime runtime;
  private final String daemonId = "contract-" + UUID.randomUUID().toString().substring(0, 8);
  private int sequence;

  /** A fresh runtime for one test; closed after it. */
  protected abstract ContainerRuntime createRuntime() throws Exception;

  /** A function whose instances start and keep running until stopped. */
  protected abstract FunctionSpec startableFunction();

  /** A function whose instances cannot start (for example an unknown image). */
  protected abstract FunctionSpec unstartableFunction();

  /** Kills the instance without going through the runtime, as an operator or the OOM killer would. */
  protected abstract void killBehindTheRuntimesBack(RuntimeInstance instance) throws Exception;

  /** How long any one runtime operation may take in this implementation. */
  protected Duration timeout() {
    return Duration.ofSeconds(30);
  }

  protected final ContainerRuntime runtime() {
    return runtime;
  }

  protected final String daemonId() {
    return daemonId;
  }

  @BeforeEach
  final void createTheRuntime() throws Exception {
    runtime = createRuntime();
  }

  @AfterEach
  final void removeWhatIsLeft() throws Exception {
    try {
      for (OwnedInstance owned : await(runtime.listOwned(daemonId))) {
        await(runtime.kill(owned.nativeId()));
      }
    } finally {
      runtime.close();
    }
  }

  protected final RuntimeInstance start(FunctionSpec function) throws Exception {
    String id = function.name() + "-" + (++sequence);
    return await(runtime.start(new InstanceRequest(id, daemonId, function)));
  }

  protected final <T> T await(CompletableFuture<T> future) throws Exception {
    try {
      return future.get(timeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw e;
    }
  }

  @Test
  void startReportsTheEndpointAndTheStartPhases() throws Exception {
    RuntimeInstance instance = start(startableFunction());

    assertThat(instance.instanceId()).startsWith(startableFunction().name());
    assertThat(instance.nativeId()).isNotBlank();
    assertThat(instance.endpoint().port()).isPositive();
    assertThat(instance.startPhases()).isNotEmpty();
    assertThat(instance.startPhases().values()).allSatisfy(d -> assertThat(d.isNegative()).isFalse());
    assertThat(instance.exit()).isNotDone();
  }

  @Test
  void aStartedInstanceIsListedAsOwnedByItsDaemonOnly() throws Exception {
    RuntimeInstance instance = start(startableFunction());

    List<OwnedInstance> owned = await(runtime.listOwned(daemonId));
    assertThat(owned).extracting(OwnedInstance::nativeId).contains(instance.nativeId());
    assertThat(owned).filteredOn(o -> o.nativeId().equals(instance.nativeId()))
        .singleElement()
        .satisfies(o -> {
          assertThat(o.running()).isTrue();
          assertThat(o.function()).isEqualTo(startableFunction().name());
        });
    assertThat(await(runtime.listOwned(daemonId + "-other"))).isEmpty();
  }

  @Test
  void stopEndsTheInstanceCompletesItsExitAndRemovesIt() throws Exception {
    RuntimeInstance instance = start(startableFunction());

    await(runtime.stop(instance.nativeId(), Duration.ofSeconds(2)));

    InstanceExit exit = await(instance.exit());
    assertThat(exit.reason()).isNotBlank();
    assertThat(await(runtime.listOwned(daemonId))).extracting(OwnedInstance::nativeId)
        .doesNotContain(instance.nativeId());
  }

  @Test
  void killEndsTheInstanceAtOnceAndIsIdempotent() throws Exception {
    RuntimeInstance instance = start(startableFunction());

    await(runtime.kill(instance.nativeId()));
    await(runtime.kill(instance.nativeId()));

    assertThat(await(instance.exit())).isNotNull();
    assertThat(await(runtime.listOwned(daemonId))).extracting(OwnedInstance::nativeId)
        .doesNotContain(instance.nativeId());
  }

  @Test
  void anExitTheRuntimeDidNotCauseIsReported() throws Exception {
    RuntimeInstance instance = start(startableFunction());

    killBehindTheRuntimesBack(instance);

    assertThat(await(instance.exit())).isNotNull();
  }

  @Test
  void anInstanceThatCannotStartFailsWithAPlatformExceptionNamingTheFunction() {
    FunctionSpec bad = unstartableFunction();
    assertThatThrownBy(() -> start(bad))
        .isInstanceOf(PlatformException.class)
        .hasMessageContaining(bad.name());
  }

  @Test
  void stoppingAnUnknownInstanceCompletesNormally() throws Exception {
    await(runtime.stop("no-such-instance-" + daemonId, Duration.ofMillis(100)));
    await(runtime.kill("no-such-instance-" + daemonId));
  }
}
