package dev.ldd.docker.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.BuildImageResultCallback;
import dev.ldd.core.spi.Endpoint;
import dev.ldd.docker.DockerClients;
import dev.ldd.docker.DockerRuntimeConfig;
import dev.ldd.docker.image.FunctionImage;
import dev.ldd.docker.image.FunctionImageBuilder;
import dev.ldd.docker.image.FunctionImageSpec;
import dev.ldd.docker.testfn.ByteServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Assumptions;

/**
 * What the Docker tests share: the test label (so that they clean up only what they made), a client for
 * acting behind the runtime's back, and the test images, built once per JVM and reused across runs.
 */
public final class TestDocker {
  /** On every container and image the tests create. */
  public static final Map<String, String> TEST_LABEL = Map.of("ldd-test", "ldd-docker");
  public static final String BYTE_SERVER_IMAGE = "ldd-test/byte-server:1";
  public static final String BUSYBOX_IMAGE = "ldd-test/busybox:1";
  /** A fixed entry time keeps the test jar's bytes, hence the image's content hash, stable across runs. */
  private static final long ENTRY_TIME = 1_700_000_000_000L;

  private static DockerClient client;
  private static FunctionImage byteServer;
  private static boolean busyboxBuilt;

  private TestDocker() {}

  public static DockerRuntimeConfig config() {
    return DockerRuntimeConfig.builder().labels(TEST_LABEL).build();
  }

  /** A client of its own, for doing things behind the runtime's back. */
  public static synchronized DockerClient client() {
    if (client == null) {
      client = DockerClients.control(config());
    }
    return client;
  }

  /** The byte-server function image (built with FunctionImageBuilder on first use). */
  public static synchronized FunctionImage byteServerImage() {
    if (byteServer == null) {
      byteServer = buildByteServer(BYTE_SERVER_IMAGE, Set.of());
    }
    return byteServer;
  }

  public static FunctionImage buildByteServer(String tag, Set<String> extraModules) {
    return buildByteServer(tag, extraModules, List.of());
  }

  public static FunctionImage buildByteServer(String tag, Set<String> extraModules, List<Path> classpath) {
    try (FunctionImageBuilder builder = FunctionImageBuilder.create(config())) {
      return builder.build(FunctionImageSpec.builder(tag, byteServerJar(), ByteServer.class.getName())
          .extraModules(extraModules)
          .classpath(classpath)
          .labels(TEST_LABEL)
          .build());
    }
  }

  /** The byte server's one class in a jar, made with java.util.jar. */
  public static Path byteServerJar() {
    return jarOf("byte-server.jar", ByteServer.class);
  }

  /**
   * A jar of {@code mainClass}'s class file alone (test functions are single classes), with fixed entry
   * times so that its bytes, and the image's content hash, are the same on every run.
   */
  public static synchronized Path jarOf(String fileName, Class<?> mainClass) {
    try {
      Path dir = Path.of(System.getProperty("java.io.tmpdir"), "ldd-docker-test");
      Files.createDirectories(dir);
      Path jar = dir.resolve(fileName);
      String entry = mainClass.getName().replace('.', '/') + ".class";
      Manifest manifest = new Manifest();
      manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
      manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, mainClass.getName());
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (JarOutputStream out = new JarOutputStream(bytes);
           InputStream in = mainClass.getClassLoader().getResourceAsStream(entry)) {
        JarEntry manifestEntry = new JarEntry("META-INF/MANIFEST.MF");
        manifestEntry.setTime(ENTRY_TIME);
        out.putNextEntry(manifestEntry);
        manifest.write(out);
        out.closeEntry();
        JarEntry classEntry = new JarEntry(entry);
        classEntry.setTime(ENTRY_TIME);
        out.putNextEntry(classEntry);
        in.transferTo(out);
        out.closeEntry();
      }
      Files.write(jar, bytes.toByteArray());
      return jar;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The jar {@code type} was loaded from; when that is a classes directory (a build that has not
   * packaged it yet), a jar made of that directory.
   */
  public static synchronized Path jarContaining(Class<?> type) {
    try {
      Path location = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (Files.isRegularFile(location)) {
        return location;
      }
      Path dir = Path.of(System.getProperty("java.io.tmpdir"), "ldd-docker-test");
      Files.createDirectories(dir);
      Path jar = dir.resolve(type.getSimpleName() + "-classes.jar");
      try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
           var files = Files.walk(location)) {
        for (Path p : files.filter(Files::isRegularFile).sorted().toList()) {
          JarEntry e = new JarEntry(location.relativize(p).toString().replace('\\', '/'));
          e.setTime(ENTRY_TIME);
          out.putNextEntry(e);
          Files.copy(p, out);
          out.closeEntry();
        }
      }
      return jar;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A FROM scratch image with the static busybox, for containers that must exit at once. Needs
   * /bin/busybox (Debian's busybox-static, which scripts/docker-engine.sh installs).
   */
  public static synchronized String busyboxImage() {
    if (busyboxBuilt) {
      return BUSYBOX_IMAGE;
    }
    Path busybox = Path.of("/bin/busybox");
    if (!Files.isExecutable(busybox)) {
      String why = "/bin/busybox is missing: install Debian's busybox-static (scripts/docker-engine.sh does)";
      if (DockerEngineCondition.required()) {
        throw new AssertionError(why + ", and LDD_REQUIRE_DOCKER=true requires it");
      }
      Assumptions.abort(why);
    }
    try {
      ByteArrayOutputStream tar = new ByteArrayOutputStream();
      try (TarArchiveOutputStream out = new TarArchiveOutputStream(tar)) {
        byte[] dockerfile = "FROM scratch\nCOPY busybox /bin/busybox\nENTRYPOINT [\"/bin/busybox\"]\n".getBytes(UTF_8);
        TarArchiveEntry df = new TarArchiveEntry("Dockerfile");
        df.setSize(dockerfile.length);
        out.putArchiveEntry(df);
        out.write(dockerfile);
        out.closeArchiveEntry();
        TarArchiveEntry bb = new TarArchiveEntry("busybox");
        bb.setSize(Files.size(busybox));
        bb.setMode(0100755);
        out.putArchiveEntry(bb);
        Files.copy(busybox, out);
        out.closeArchiveEntry();
        out.finish();
      }
      client().buildImageCmd()
          .withTarInputStream(new ByteArrayInputStream(tar.toByteArray()))
          .withTags(Set.of(BUSYBOX_IMAGE))
          .withLabels(TEST_LABEL)
          .withPull(false)
          .exec(new BuildImageResultCallback())
          .awaitImageId(2, TimeUnit.MINUTES);
      busyboxBuilt = true;
      return BUSYBOX_IMAGE;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Connects until the function greets: Docker's port proxy accepts before the process listens and then
   * drops the connection, so only the greeting byte says it is up. Returns the nanoTime it arrived.
   */
  public static long awaitGreeting(Endpoint endpoint, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    IOException last = null;
    while (System.nanoTime() < deadline) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(endpoint.host(), endpoint.port()), 1_000);
        socket.setSoTimeout(1_000);
        int b = socket.getInputStream().read();
        if (b == ByteServer.GREETING) {
          long at = System.nanoTime();
          OutputStream out = socket.getOutputStream();
          out.write('x');
          out.flush();
          if (socket.getInputStream().read() != 'x') {
            throw new AssertionError("the byte server did not echo");
          }
          return at;
        }
      } catch (IOException e) {
        last = e;
      }
      Thread.sleep(5);
    }
    throw new AssertionError("no greeting from " + endpoint + " within " + timeout
        + (last == null ? "" : " (last: " + last + ")"));
  }
}
