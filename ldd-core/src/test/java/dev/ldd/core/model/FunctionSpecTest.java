package dev.ldd.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FunctionSpecTest {
  @Test
  void secretLookingEnvValuesNeverAppearInToString() {
    FunctionSpec spec = FunctionSpec.builder("enrich", "e:1")
        .env(Map.of("API_TOKEN", "t0ps3cret", "DB_PASSWORD", "hunter2", "REGION", "eu")).build();

    assertThat(spec.toString()).doesNotContain("t0ps3cret", "hunter2").contains("REGION=eu", "API_TOKEN=***");
  }

  @Test
  void invalidValuesAreRefusedNamingTheFunctionAndTheField() {
    assertThatThrownBy(() -> FunctionSpec.builder("bad name", "i:1").build()).hasMessageContaining("'bad name'");
    assertThatThrownBy(() -> FunctionSpec.builder("f", " ").build()).hasMessageContaining("image");
    assertThatThrownBy(() -> FunctionSpec.builder("f", "i:1").port(0).build()).hasMessageContaining("port");
    assertThatThrownBy(() -> FunctionSpec.builder("f", "i:1").maxDeliveries(0).build())
        .hasMessageContaining("maxDeliveries");
    assertThatThrownBy(() -> FunctionSpec.builder("f", "i:1").idleTimeout(Duration.ZERO).build())
        .hasMessageContaining("idleTimeout");
    assertThatThrownBy(() -> new Concurrency(1, 3, 2)).hasMessageContaining("maxInstances must be >= minInstances");
  }
}
