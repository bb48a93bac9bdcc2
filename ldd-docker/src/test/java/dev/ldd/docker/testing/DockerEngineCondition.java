package dev.ldd.docker.testing;

import dev.ldd.docker.DockerClients;
import dev.ldd.docker.DockerRuntimeConfig;
import java.time.Duration;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Pings the engine once per test JVM. No engine: skip, or, with {@code LDD_REQUIRE_DOCKER=true}, run the
 * tests and fail each one before it starts, saying why.
 */
public final class DockerEngineCondition implements ExecutionCondition, BeforeEachCallback {
  private static final String HOW = "start one with scripts/docker-engine.sh (or point DOCKER_HOST at one)";

  /** Null when the engine answered; else why not. */
  private static final class Ping {
    static final String FAILURE = ping();
  }

  private static String ping() {
    DockerRuntimeConfig config = DockerRuntimeConfig.builder()
        .connectTimeout(Duration.ofSeconds(2))
        .controlTimeout(Duration.ofSeconds(5))
        .build();
    try (var client = DockerClients.control(config)) {
      client.pingCmd().exec();
      return null;
    } catch (Exception e) {
      return "no Docker engine answers at " + config.dockerHost() + " (" + e + ")";
    }
  }

  public static boolean required() {
    return "true".equalsIgnoreCase(System.getenv("LDD_REQUIRE_DOCKER"));
  }

  /** Null when the engine answered; else why not. */
  public static String engineFailure() {
    return Ping.FAILURE;
  }

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    String failure = Ping.FAILURE;
    if (failure == null) {
      return ConditionEvaluationResult.enabled("a Docker engine answers");
    }
    if (required()) {
      return ConditionEvaluationResult.enabled(failure + ", and LDD_REQUIRE_DOCKER=true: the test fails");
    }
    return ConditionEvaluationResult.disabled(failure + ": Docker integration tests skipped; " + HOW
        + ", and set LDD_REQUIRE_DOCKER=true to make a missing engine a failure");
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    String failure = Ping.FAILURE;
    if (failure != null) {
      throw new AssertionError(failure + ", and LDD_REQUIRE_DOCKER=true requires one; " + HOW);
    }
  }
}
