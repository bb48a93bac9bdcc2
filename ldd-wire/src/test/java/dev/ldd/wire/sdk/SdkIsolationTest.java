package dev.ldd.wire.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What a function image needs is protobuf-java and the classes of these packages; none may refer to
 * ldd-core or SLF4J. (ConformanceKitTest also runs the wrapper on such a classpath.)
 */
class SdkIsolationTest {
  private static final List<String> SDK_PACKAGES =
      List.of("dev/ldd/wire/sdk", "dev/ldd/wire/frame", "dev/ldd/wire/proto", "dev/ldd/wire/conformance");

  @Test
  void functionSidePackagesReferToNeitherLddCoreNorSlf4j() throws Exception {
    Path classes = Paths.get(LddFunction.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    int scanned = 0;
    for (String pkg : SDK_PACKAGES) {
      try (Stream<Path> files = Files.walk(classes.resolve(pkg))) {
        for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
          // Every class a class file refers to is named in its constant pool as UTF-8 text.
          String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
          assertThat(text).as(classes.relativize(f).toString()).doesNotContain("dev/ldd/core/").doesNotContain("org/slf4j/");
          scanned++;
        }
      }
    }
    assertThat(scanned).isGreaterThan(20);
  }

  @Test
  void theScanWouldSeeAReferenceToLddCore() throws IOException, Exception {
    Path classes = Paths.get(LddFunction.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path transport = classes.resolve("dev/ldd/wire/transport/TcpFunctionTransport.class");
    assertThat(new String(Files.readAllBytes(transport), StandardCharsets.ISO_8859_1)).contains("dev/ldd/core/");
  }
}
