package dev.ldd.docker.image;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the JDK modules jars need ({@code jdeps}) and links a minimal JRE of them ({@code jlink}), with
 * the tools of the JDK this runs on. Linked JREs are cached by module set, because linking takes seconds.
 */
final class JreLinker {
  /** What a function gets when jdeps cannot tell. */
  static final Set<String> FALLBACK_MODULES = Set.of("java.base", "java.logging");

  private static final Logger log = LoggerFactory.getLogger(JreLinker.class);

  private final Path cacheDir;

  JreLinker(Path cacheDir) {
    this.cacheDir = cacheDir;
  }

  /** The modules {@code jars} need, plus {@code extra}; the fallback set when jdeps fails or finds none. */
  Set<String> modulesFor(List<Path> jars, Set<String> extra) {
    Set<String> modules = new TreeSet<>(extra);
    modules.add("java.base");
    List<String> args = new ArrayList<>(List.of("--print-module-deps", "--ignore-missing-deps",
        "--multi-release", Integer.toString(Runtime.version().feature())));
    jars.forEach(j -> args.add(j.toString()));
    ToolResult result = run("jdeps", args);
    List<String> found = result.exitCode() == 0
        ? Arrays.stream(result.output().trim().split("[,\\s]+")).filter(s -> s.matches("[a-z][\\w.]*")).toList()
        : List.of();
    if (found.isEmpty()) {
      log.warn("jdeps found no modules for {} (exit {}: {}); linking {}", jars, result.exitCode(),
          result.output().trim(), FALLBACK_MODULES);
      modules.addAll(FALLBACK_MODULES);
    } else {
      modules.addAll(found);
    }
    return modules;
  }

  /** A JRE of {@code modules}, linked once per module set and JDK and reused after that. */
  Path jreFor(Set<String> modules) throws IOException {
    String key = Hashing.sha256(String.join(",", new TreeSet<>(modules)) + "|" + System.getProperty("java.home")
        + "|" + Runtime.version()).substring(0, 16);
    Path target = cacheDir.resolve("jre-" + key);
    if (Files.isExecutable(target.resolve("bin/java"))) {
      return target;
    }
    Files.createDirectories(cacheDir);
    Path scratch = Files.createTempDirectory(cacheDir, "jre-" + key + "-");
    Path output = scratch.resolve("jre");
    List<String> args = new ArrayList<>();
    Path jmods = Path.of(System.getProperty("java.home"), "jmods");
    if (Files.isDirectory(jmods)) {
      args.addAll(List.of("--module-path", jmods.toString()));
    }
    args.addAll(List.of("--add-modules", String.join(",", modules), "--strip-debug", "--no-header-files",
        "--no-man-pages", "--output", output.toString()));
    // A CDS archive makes -Xshare:auto pay off (faster JVM boot); not every JDK can make one.
    List<String> withCds = new ArrayList<>(args);
    withCds.add("--generate-cds-archive");
    ToolResult result = run("jlink", withCds);
    if (result.exitCode() != 0) {
      log.debug("jlink with a CDS archive failed ({}); linking without", result.output().trim());
      deleteTree(output);
      result = run("jlink", args);
    }
    if (result.exitCode() != 0) {
      deleteTree(scratch);
      throw new ImageBuildException("jlink could not link a JRE of modules " + modules + " from "
          + System.getProperty("java.home") + " (exit " + result.exitCode() + "): " + result.output().trim()
          + "; build images on a full JDK 17+ (with its jmods)");
    }
    try {
      Files.move(output, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
      // another build linked the same JRE meanwhile: use that one
    } catch (IOException e) {
      if (!Files.isExecutable(target.resolve("bin/java"))) {
        throw e;
      }
    } finally {
      deleteTree(scratch);
    }
    return target;
  }

  private record ToolResult(int exitCode, String output) {}

  private static synchronized ToolResult run(String tool, List<String> args) {
    ToolProvider provider = ToolProvider.findFirst(tool).orElseThrow(() -> new ImageBuildException(
        "the JDK at " + System.getProperty("java.home") + " has no " + tool + "; build images on a full JDK 17+"));
    StringWriter out = new StringWriter();
    try (PrintWriter pw = new PrintWriter(out)) {
      int code = provider.run(pw, pw, args.toArray(String[]::new));
      pw.flush();
      return new ToolResult(code, out.toString());
    } catch (RuntimeException e) {
      // jdeps throws on some malformed inputs instead of reporting them
      return new ToolResult(-1, out + e.toString());
    }
  }

  static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).collect(Collectors.toList())) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      log.debug("could not delete {}: {}", root, e.toString());
    }
  }
}
