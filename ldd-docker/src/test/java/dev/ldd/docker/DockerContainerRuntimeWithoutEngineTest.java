package dev.ldd.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.exception.NotFoundException;
import dev.ldd.core.PlatformException;
import dev.ldd.core.model.FunctionSpec;
import dev.ldd.core.spi.InstanceRequest;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What needs no engine: errors when there is none, names, configuration checks. */
class DockerContainerRuntimeWithoutEngineTest {
  @Test
  void anUnreachableEngineFailsTheStartWithAPlatformExceptionSayingWhatToDo() {
    DockerRuntimeConfig config = DockerRuntimeConfig.builder()
        .dockerHost("unix:///nonexistent/docker.sock")
        .connectTimeout(Duration.ofSeconds(1))
        .build();
    try (DockerContainerRuntime runtime = DockerContainerRuntime.create(config)) {
      FunctionSpec fn = FunctionSpec.builder("enrich", "ldd-examples/enrich:1").build();

      assertThatThrownBy(() -> runtime.start(new InstanceRequest("enrich-1", "d1", fn)).get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(PlatformException.class)
          .hasMessageContaining("function 'enrich'")
          .hasMessageContaining("the Docker engine at unix:///nonexistent/docker.sock is unreachable")
          .hasMessageContaining("scripts/docker-engine.sh");
      assertThatThrownBy(() -> runtime.listOwned("d1").get(10, TimeUnit.SECONDS))
          .cause()
          .isInstanceOf(PlatformException.class)
          .hasMessageContaining("unreachable");
      assertThatThrownBy(() -> runtime.engineVersion().get(10, TimeUnit.SECONDS))
          .cause()
          .isInstanceOf(PlatformException.class)
          .hasMessageContaining("unreachable");
    }
  }

  @Test
  void containerNamesAreDockerSafe() {
    FunctionSpec fn = FunctionSpec.builder("enrich", "x:1").build();
    assertThat(DockerContainerRuntime.containerName(new InstanceRequest("enrich-3", "ldd 1/eu", fn)))
        .isEqualTo("ldd-ldd_1_eu-enrich-3");
  }

  @Test
  void theEnginesOwnMessageIsQuoted() {
    NotFoundException e = new NotFoundException("Status 404: {\"message\":\"No such image: ldd-test/no-such-image:0\"}\n");
    assertThat(DockerContainerRuntime.engineMessage(e)).isEqualTo("No such image: ldd-test/no-such-image:0");
  }

  @Test
  void configurationIsValidatedAndHardenedByDefault() {
    DockerRuntimeConfig defaults = DockerRuntimeConfig.builder().dockerHost("unix:///var/run/docker.sock").build();
    assertThat(defaults.noNewPrivileges()).isTrue();
    assertThat(defaults.dropAllCapabilities()).isTrue();
    assertThat(defaults.publishHost()).isEqualTo("127.0.0.1");
    assertThat(defaults.network()).isEqualTo(DockerRuntimeConfig.BRIDGE);
    assertThat(defaults.defaultPidsLimit()).isPositive();
    assertThat(defaults.maxParallelStarts()).isEqualTo(8);

    assertThatThrownBy(() -> defaults.toBuilder().maxParallelStarts(0).build())
        .hasMessageContaining("maxParallelStarts must be >= 1");
    assertThatThrownBy(() -> defaults.toBuilder().labels(Map.of(Labels.DAEMON, "x")).build())
        .hasMessageContaining("reserved");
  }
}
