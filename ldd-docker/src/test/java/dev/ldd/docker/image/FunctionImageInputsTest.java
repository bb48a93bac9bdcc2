package dev.ldd.docker.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ldd.docker.DockerRuntimeConfig;
import dev.ldd.docker.testing.TestDocker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Wrong inputs are named before any engine or tool is asked (no Docker needed). */
class FunctionImageInputsTest {
  private static final DockerRuntimeConfig NOWHERE =
      DockerRuntimeConfig.builder().dockerHost("unix:///nonexistent/docker.sock").build();

  @Test
  void aMissingJarIsNamed() {
    Path missing = Path.of("/nonexistent/function.jar");
    try (FunctionImageBuilder builder = FunctionImageBuilder.create(NOWHERE)) {
      assertThatThrownBy(() -> builder.build(FunctionImageSpec.builder("ldd-test/x:1", missing, "a.Main").build()))
          .isInstanceOf(ImageBuildException.class)
          .hasMessageContaining("function image 'ldd-test/x:1'")
          .hasMessageContaining("/nonexistent/function.jar does not exist");
    }
  }

  @Test
  void aMainClassInNoneOfTheJarsIsNamed() {
    try (FunctionImageBuilder builder = FunctionImageBuilder.create(NOWHERE)) {
      FunctionImageSpec spec = FunctionImageSpec.builder("ldd-test/x:1", TestDocker.byteServerJar(), "com.example.Nope")
          .build();
      assertThatThrownBy(() -> builder.build(spec))
          .isInstanceOf(ImageBuildException.class)
          .hasMessageContaining("main class 'com.example.Nope' is in none of");
    }
  }

  @Test
  void anInvalidTagOrClassNameIsRejectedWhenTheSpecIsMade() {
    Path jar = Path.of("f.jar");
    assertThatThrownBy(() -> FunctionImageSpec.builder("LDD/Upper Case", jar, "a.Main").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a valid Docker reference");
    assertThatThrownBy(() -> FunctionImageSpec.builder("ldd/ok:1", jar, "a.1Main").build())
        .hasMessageContaining("not a Java class name");
    assertThat(FunctionImageSpec.builder("localhost:5000/ldd/ok:1.0-rc", jar, "a.Main").build().jars())
        .containsExactly(jar);
  }

  @Test
  void theDockerfileStartsFromScratchWithTheDocumentedEntrypoint() {
    assertThat(FunctionImageBuilder.dockerfile("com.example.Main")).isEqualTo("""
        FROM scratch
        COPY rootfs/ /
        ENTRYPOINT ["/jre/bin/java", "-XX:+UseSerialGC", "-Xshare:auto", "-cp", "/app/*", "com.example.Main"]
        """);
  }

  @Test
  void jdepsFindsTheModulesOfTheJarsAndFallsBackWhenItCannotTell() throws Exception {
    JreLinker linker = new JreLinker(Path.of(System.getProperty("java.io.tmpdir")));
    assertThat(linker.modulesFor(List.of(TestDocker.byteServerJar()), Set.of("jdk.unsupported")))
        .contains("java.base", "jdk.unsupported");
    Path notAJar = Files.createTempFile("not-a-jar", ".jar");
    assertThat(linker.modulesFor(List.of(notAJar), Set.of())).containsAll(JreLinker.FALLBACK_MODULES);
  }
}
