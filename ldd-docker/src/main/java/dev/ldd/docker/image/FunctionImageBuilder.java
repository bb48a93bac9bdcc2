package dev.ldd.docker.image;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.exception.DockerClientException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.ldd.core.PlatformException;
import dev.ldd.docker.DockerClients;
import dev.ldd.docker.DockerRuntimeConfig;
import dev.ldd.docker.Labels;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a function jar and its classpath into a local image that needs no registry: a {@code FROM
 * scratch} image holding a jlink'd JRE of just the modules the jars use, the shared libraries that JRE
 * needs from this machine, and the jars, built through the engine's build API. An image whose tag exists
 * with the same content hash is not rebuilt.
 *
 * <p>{@link #build} blocks (linking a JRE takes seconds the first time; linked JREs are cached under
 * the work directory); one builder may be used from several threads.
 */
public final class FunctionImageBuilder implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(FunctionImageBuilder.class);
  /** Bump when the layout of the image changes, so that images of older builders are rebuilt. */
  private static final String FORMAT = "ldd-function-image/1";
  private static final String MODULES_LABEL = "dev.ldd.image.modules";
  private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(10);

  private final DockerRuntimeConfig config;
  private final DockerClient docker;
  private final JreLinker linker;

  private FunctionImageBuilder(DockerRuntimeConfig config, Path workDir) {
    this.config = config;
    this.docker = DockerClients.streaming(config);
    this.linker = new JreLinker(workDir.resolve("jre"));
  }

  /** A builder for the engine {@code config} names, caching JREs under {@code workDir}. */
  public static FunctionImageBuilder create(DockerRuntimeConfig config, Path workDir) {
    return new FunctionImageBuilder(config, workDir);
  }

  /** A builder for the engine {@code config} names, caching JREs under the temporary directory. */
  public static FunctionImageBuilder create(DockerRuntimeConfig config) {
    return create(config, Path.of(System.getProperty("java.io.tmpdir"), "ldd-image-builder"));
  }

  /** A builder for {@code DOCKER_HOST} or the local socket. */
  public static FunctionImageBuilder create() {
    return create(DockerRuntimeConfig.defaults());
  }

  /** The ENTRYPOINT of every function image. */
  static List<String> entrypoint(String mainClass) {
    return List.of("/jre/bin/java", "-XX:+UseSerialGC", "-Xshare:auto", "-cp", "/app/*", mainClass);
  }

  /**
   * Builds (or finds) the image {@code spec} describes and tags it.
   *
   * @throws ImageBuildException when the inputs are wrong or the engine refuses the build
   * @throws PlatformException when the engine cannot be reached
   */
  public FunctionImage build(FunctionImageSpec spec) {
    String subject = "function image '" + spec.tag() + "'";
    checkInputs(spec, subject);
    try {
      String hash = contentHash(spec);
      InspectImageResponse previous = inspect(spec.tag());
      if (previous != null && hash.equals(labels(previous).get(Labels.IMAGE_CONTENT_HASH))) {
        log.debug("{} is up to date ({})", subject, hash);
        String modules = labels(previous).getOrDefault(MODULES_LABEL, "");
        return new FunctionImage(spec.tag(), previous.getId(), hash, true,
            modules.isEmpty() ? List.of() : Arrays.asList(modules.split(",")), Map.of());
      }
      Map<String, Duration> phases = new LinkedHashMap<>();
      long t = System.nanoTime();
      Set<String> modules = linker.modulesFor(spec.jars(), spec.extraModules());
      t = phase(phases, "jdeps", t);
      Path jre = linker.jreFor(modules);
      t = phase(phases, "jlink", t);
      Map<String, Path> libraries = SharedLibraries.neededBy(jre);
      t = phase(phases, "libraries", t);
      Path context = Files.createTempFile("ldd-image-context-", ".tar");
      try {
        writeContext(context, spec, jre, libraries);
        t = phase(phases, "context", t);
        Map<String, String> labels = new LinkedHashMap<>(spec.labels());
        labels.put(Labels.IMAGE_CONTENT_HASH, hash);
        labels.put(Labels.IMAGE_MAIN_CLASS, spec.mainClass());
        labels.put(MODULES_LABEL, String.join(",", modules));
        String imageId = buildImage(subject, spec.tag(), context, labels);
        phase(phases, "build", t);
        if (previous != null && !previous.getId().equals(imageId)
            && labels(previous).containsKey(Labels.IMAGE_CONTENT_HASH)) {
          removeReplaced(subject, previous.getId());
        }
        log.info("built {} ({}, modules {}) in {}", subject, imageId, modules, phases);
        return new FunctionImage(spec.tag(), imageId, hash, false, List.copyOf(modules), phases);
      } finally {
        Files.deleteIfExists(context);
      }
    } catch (IOException e) {
      throw new ImageBuildException(subject + ": " + e, e);
    }
  }

  private static long phase(Map<String, Duration> phases, String name, long since) {
    long now = System.nanoTime();
    phases.put(name, Duration.ofNanos(now - since));
    return now;
  }

  private static void checkInputs(FunctionImageSpec spec, String subject) {
    for (Path jar : spec.jars()) {
      if (!Files.isRegularFile(jar) || !Files.isReadable(jar)) {
        throw new ImageBuildException(subject + ": jar " + jar + " does not exist or cannot be read");
      }
    }
    String entry = spec.mainClass().replace('.', '/') + ".class";
    for (Path jar : spec.jars()) {
      try (JarFile file = new JarFile(jar.toFile())) {
        if (file.getEntry(entry) != null) {
          return;
        }
      } catch (IOException e) {
        throw new ImageBuildException(subject + ": " + jar + " is not a readable jar: " + e.getMessage(), e);
      }
    }
    throw new ImageBuildException(subject + ": main class '" + spec.mainClass() + "' is in none of "
        + spec.jars() + "; check its name and that its jar is the function jar or on the classpath");
  }

  private static String contentHash(FunctionImageSpec spec) throws IOException {
    Hashing h = new Hashing().add(FORMAT).add(Runtime.version().toString()).add(spec.mainClass());
    spec.extraModules().stream().sorted().forEach(h::add);
    for (Path jar : spec.jars()) {
      h.add(jar.getFileName().toString()).add(Long.toString(Files.size(jar))).addFile(jar);
    }
    return h.hex();
  }

  private InspectImageResponse inspect(String tag) {
    try {
      return docker.inspectImageCmd(tag).exec();
    } catch (NotFoundException e) {
      return null;
    } catch (DockerException e) {
      throw new ImageBuildException("function image '" + tag + "': the Docker engine failed to inspect it: "
          + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw unreachable(tag, e);
    }
  }

  private static Map<String, String> labels(InspectImageResponse image) {
    return image.getConfig() == null || image.getConfig().getLabels() == null
        ? Map.of() : image.getConfig().getLabels();
  }

  /** The image a rebuild replaced is now untagged: remove it unless a container still uses it. */
  private void removeReplaced(String subject, String imageId) {
    try {
      docker.removeImageCmd(imageId).exec();
    } catch (RuntimeException e) {
      log.debug("{}: keeping the image it replaced ({}): {}", subject, imageId, e.toString());
    }
  }

  private PlatformException unreachable(String tag, RuntimeException e) {
    return new PlatformException("function image '" + tag + "': the Docker engine at " + config.dockerHost()
        + " is unreachable (" + e + "); start it (scripts/docker-engine.sh) or point DOCKER_HOST at one", e);
  }

  /** A tar build context: a Dockerfile and rootfs/ with jre/, app/, the libraries and an empty /tmp. */
  private static void writeContext(Path tar, FunctionImageSpec spec, Path jre, Map<String, Path> libraries)
      throws IOException {
    try (OutputStream file = Files.newOutputStream(tar);
         TarArchiveOutputStream out = new TarArchiveOutputStream(file)) {
      out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      out.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      addBytes(out, "Dockerfile", dockerfile(spec.mainClass()).getBytes(UTF_8), 0644);
      addDirectory(out, "rootfs/tmp/", 01777);
      try (Stream<Path> files = Files.walk(jre)) {
        for (Path p : files.sorted().collect(Collectors.toList())) {
          String name = "rootfs/jre/" + jre.relativize(p).toString().replace('\\', '/');
          if (Files.isDirectory(p)) {
            addDirectory(out, name.endsWith("/") ? name : name + "/", 0755);
          } else {
            addFile(out, name, p);
          }
        }
      }
      Set<String> names = new HashSet<>();
      int index = 0;
      for (Path jar : spec.jars()) {
        String name = jar.getFileName().toString();
        if (!names.add(name)) {
          name = (index) + "-" + name;
          names.add(name);
        }
        index++;
        addFile(out, "rootfs/app/" + name, jar, 0644);
      }
      for (Map.Entry<String, Path> library : libraries.entrySet()) {
        addFile(out, "rootfs" + library.getKey(), library.getValue(), 0755);
      }
      out.finish();
    }
  }

  static String dockerfile(String mainClass) {
    String entrypoint = entrypoint(mainClass).stream()
        .map(s -> "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"")
        .collect(Collectors.joining(", ", "[", "]"));
    return "FROM scratch\nCOPY rootfs/ /\nENTRYPOINT " + entrypoint + "\n";
  }

  private static void addDirectory(TarArchiveOutputStream out, String name, int mode) throws IOException {
    TarArchiveEntry entry = new TarArchiveEntry(name);
    entry.setMode(TarArchiveEntry.DEFAULT_DIR_MODE & ~0777 | mode);
    out.putArchiveEntry(entry);
    out.closeArchiveEntry();
  }

  private static void addFile(TarArchiveOutputStream out, String name, Path file) throws IOException {
    addFile(out, name, file, Files.isExecutable(file) ? 0755 : 0644);
  }

  private static void addFile(TarArchiveOutputStream out, String name, Path file, int mode) throws IOException {
    TarArchiveEntry entry = new TarArchiveEntry(name);
    entry.setMode(TarArchiveEntry.DEFAULT_FILE_MODE & ~0777 | mode);
    entry.setSize(Files.size(file));
    out.putArchiveEntry(entry);
    Files.copy(file, out);
    out.closeArchiveEntry();
  }

  private static void addBytes(TarArchiveOutputStream out, String name, byte[] bytes, int mode) throws IOException {
    TarArchiveEntry entry = new TarArchiveEntry(name);
    entry.setMode(TarArchiveEntry.DEFAULT_FILE_MODE & ~0777 | mode);
    entry.setSize(bytes.length);
    out.putArchiveEntry(entry);
    out.write(bytes);
    out.closeArchiveEntry();
  }

  private String buildImage(String subject, String tag, Path context, Map<String, String> labels)
      throws IOException {
    try (InputStream in = Files.newInputStream(context)) {
      docker.buildImageCmd()
          .withTarInputStream(in)
          .withTags(Set.of(tag))
          .withLabels(labels)
          .withPull(false)
          .withRemove(true)
          .withForcerm(true)
          .exec(new BuildImageResultCallback())
          .awaitImageId(BUILD_TIMEOUT.toMinutes(), TimeUnit.MINUTES);
      // The build stream names the image by its short id; inspect gives the full one, like everywhere else.
      return docker.inspectImageCmd(tag).exec().getId();
    } catch (DockerClientException | DockerException e) {
      throw new ImageBuildException(subject + ": the Docker engine failed to build it: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw unreachable(tag, e);
    }
  }

  @Override
  public void close() {
    try {
      docker.close();
    } catch (IOException e) {
      log.debug("closing the Docker client: {}", e.toString());
    }
  }
}
