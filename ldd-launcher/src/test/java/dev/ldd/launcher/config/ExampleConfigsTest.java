package dev.ldd.launcher.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The example configs the module's README points to stay valid. */
class ExampleConfigsTest {
  private static Path example(String name) throws Exception {
    return Path.of(ExampleConfigsTest.class.getResource("/configs/" + name).toURI());
  }

  @Test
  void theDevelopmentExampleIsValid() throws Exception {
    LddConfig config = LddConfig.load(example("embedded-process.yaml"), Map.of());

    assertThat(config.functionSpecs()).singleElement().satisfies(f -> {
      assertThat(f.command()).endsWith("-cp", "/opt/ldd/functions/enrich.jar", "com.example.Enrich");
      assertThat(f.env()).containsEntry("API_TOKEN", "none");
    });
    assertThat(config.routes()).hasSize(2);
    assertThat(config.warnings()).isEmpty();
  }

  @Test
  void theProductionExampleIsValidOnceItsSecretsAreSet() throws Exception {
    LddConfig config = LddConfig.load(example("solace-docker.yaml"),
        Map.of("SOLACE_PASSWORD", "pw-1", "TRUSTSTORE_PASSWORD", "pw-2"));

    assertThat(config.source()).isInstanceOf(SourceConfig.Solace.class);
    assertThat(config.runtime()).isInstanceOf(RuntimeConfig.Docker.class);
    assertThat(config.toString()).doesNotContain("pw-1", "pw-2");
  }
}
