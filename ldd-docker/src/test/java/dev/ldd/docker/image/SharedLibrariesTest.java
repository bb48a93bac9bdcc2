package dev.ldd.docker.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SharedLibrariesTest {
  private static final Path JAVA = Path.of("/jre/bin/java");

  @Test
  void resolvedLibrariesAndTheLoaderAreKeptAndTheVdsoIsSkipped() {
    String ldd = """
        \tlinux-vdso.so.1 (0x00007ffd7c5f2000)
        \tlibz.so.1 => /lib/x86_64-linux-gnu/libz.so.1 (0x00007f8c1c5d0000)
        \tlibjli.so => /jre/bin/../lib/libjli.so (0x00007f8c1c5c0000)
        \tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f8c1c3de000)
        \t/lib64/ld-linux-x86-64.so.2 (0x00007f8c1c607000)
        """;

    assertThat(SharedLibraries.parse(JAVA, ldd, Set.of())).containsExactly(
        "/lib/x86_64-linux-gnu/libz.so.1", "/jre/bin/../lib/libjli.so", "/lib/x86_64-linux-gnu/libc.so.6",
        "/lib64/ld-linux-x86-64.so.2");
  }

  @Test
  void aLibraryTheJreProvidesMayBeMissingFromTheSearchPathButNoOtherMay() {
    String ldd = "\tlibjvm.so => not found\n\tlibm.so.6 => /lib/x86_64-linux-gnu/libm.so.6 (0x1)\n";
    assertThat(SharedLibraries.parse(JAVA, ldd, Set.of("libjvm.so"))).containsExactly("/lib/x86_64-linux-gnu/libm.so.6");

    assertThatThrownBy(() -> SharedLibraries.parse(JAVA, "\tlibfoo.so.2 => not found\n", Set.of("libjvm.so")))
        .isInstanceOf(ImageBuildException.class)
        .hasMessageContaining("shared library libfoo.so.2 needed by /jre/bin/java is not installed");
  }
}
