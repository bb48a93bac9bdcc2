package dev.ldd.docker.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.exception.NotFoundException;

import com.github.dockerjava.api.command.InspectImageResponse;
import dev.ldd.docker.Labels;
import dev.ldd.docker.testfn.ByteServer;
import dev.ldd.docker.testing.RequiresDocker;
import dev.ldd.docker.testing.TestDocker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.io.TempDir;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Images built from a function jar, on the real engine. (Starting them: DockerContainerRuntimeTest.) */
@RequiresDocker
class FunctionImageBuilderTest {
  @Test
  void theImageIsFromScratchWithTheJreTheJarsAndTheDocumentedEntrypoint() {
    FunctionImage image = TestDocker.byteServerImage();

    InspectImageResponse inspect = TestDocker.client().inspectImageCmd(image.tag()).exec();
    assertThat(inspect.getConfig().getEntrypoint()).containsExactly("/jre/bin/java", "-XX:+UseSerialGC",
        "-Xshare:auto", "-cp", "/app/*", ByteServer.class.getName());
    assertThat(inspect.getConfig().getLabels())
        .containsEntry(Labels.IMAGE_CONTENT_HASH, image.contentHash())
        .containsEntry(Labels.IMAGE_MAIN_CLASS, ByteServer.class.getName())
        .containsAllEntriesOf(TestDocker.TEST_LABEL);
    assertThat(image.modules()).contains("java.base");
    // No base image: every layer is ours (a jlink'd JRE, not a distribution).
    assertThat(inspect.getSize()).isLessThan(150L * 1024 * 1024);
  }

  @Test
  void aSecondBuildOfTheSameContentIsServedFromTheEngineWithoutRebuilding() {
    FunctionImage first = TestDocker.byteServerImage();

    long t0 = System.nanoTime();
    FunctionImage again = TestDocker.buildByteServer(first.tag(), Set.of());

    assertThat(again.cached()).isTrue();
    assertThat(again.imageId()).isEqualTo(first.imageId());
    assertThat(again.contentHash()).isEqualTo(first.contentHash());
    assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(2_000);
  }

  @Test
  void differentContentUnderTheSameTagIsRebuiltAndTheReplacedImageRemoved(@TempDir Path dir) throws Exception {
    FunctionImage base = TestDocker.byteServerImage();
    String tag = "ldd-test/byte-server-rebuilt:1";
    Path library = dir.resolve("library.jar");
    try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(library))) {
      jar.putNextEntry(new JarEntry("library.txt"));
      jar.write("a library on the classpath".getBytes(StandardCharsets.UTF_8));
      jar.closeEntry();
    }

    FunctionImage withLibrary = TestDocker.buildByteServer(tag, Set.of(), List.of(library));
    FunctionImage without = TestDocker.buildByteServer(tag, Set.of(), List.of());

    assertThat(withLibrary.cached()).isFalse();
    assertThat(without.cached()).isFalse();
    assertThat(withLibrary.contentHash()).isNotEqualTo(without.contentHash());
    assertThat(without.contentHash()).isEqualTo(base.contentHash());
    assertThat(withLibrary.imageId()).isNotEqualTo(without.imageId());
    // The image the rebuild replaced was removed with its tag, not left dangling.
    assertThatThrownBy(() -> TestDocker.client().inspectImageCmd(withLibrary.imageId()).exec())
        .isInstanceOf(NotFoundException.class);
    TestDocker.client().removeImageCmd(tag).exec();
  }
}
