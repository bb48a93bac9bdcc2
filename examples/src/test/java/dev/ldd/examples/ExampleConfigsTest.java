package dev.ldd.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ldd.examples.testing.ExampleDaemon;
import dev.ldd.launcher.config.FunctionConfig;
import dev.ldd.launcher.config.LddConfig;
import dev.ldd.launcher.config.RuntimeConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The example configs are what `ldd validate` accepts, with the functions the examples describe. */
class ExampleConfigsTest {
  @ParameterizedTest
  @ValueSource(strings = {"ldd.yaml", "ldd-process.yaml"})
  void lddValidateAcceptsTheExampleConfig(String file) throws Exception {
    Path ldd = ExampleDaemon.lddJar();
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
        ldd.toString(), "validate", "--config", ExampleDaemon.examplesDir().resolve(file).toString())
        .redirectErrorStream(true).start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(p.exitValue()).as(output).isZero();
    assertThat(output).contains("config OK: 3 functions, 4 routes").doesNotContain("warning");
  }

  @ParameterizedTest
  @ValueSource(strings = {"ldd.yaml", "ldd-process.yaml"})
  void theExampleConfigDeclaresTheThreeFunctionsAndTheirDeliveryLimits(String file) throws Exception {
    LddConfig config = LddConfig.load(ExampleDaemon.examplesDir().resolve(file), Map.of());

    assertThat(config.daemon().id()).isEqualTo("ldd-examples");
    assertThat(config.daemon().admin().port()).isEqualTo(8080);
    assertThat(config.functions()).extracting(FunctionConfig::name).containsExactly("echo", "enrich", "flaky");
    FunctionConfig flaky = config.functions().get(2);
    assertThat(flaky.maxDeliveries()).isEqualTo(3);
    assertThat(flaky.deadLetterTopic()).contains("dlq/flaky");
    assertThat(flaky.env()).containsEntry("FLAKY_FAILURE_RATE", "0.3");
    assertThat(config.routes()).extracting(r -> r.queue() + " " + r.subscription().text() + " -> " + r.function())
        .containsExactlyInAnyOrder("echo echo/> -> echo", "enriched enriched/> -> echo", "orders orders/> -> enrich",
            "flaky flaky/> -> flaky");
    if (config.runtime() instanceof RuntimeConfig.Process) {
      assertThat(config.functionSpecs().get(0).command()).endsWith("-cp", "examples/target/functions/*",
          "dev.ldd.examples.echo.EchoFunction");
    } else {
      assertThat(config.functionSpecs()).extracting(s -> s.image())
          .containsExactly("ldd-examples/echo:1", "ldd-examples/enrich:1", "ldd-examples/flaky:1");
    }
  }
}
