package dev.ldd.docker.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The host's shared libraries a linked JRE needs, found with {@code ldd}, so that it runs in a
 * {@code FROM scratch} image: libc, libm, libz, libstdc++, libgcc_s, the dynamic loader and friends.
 */
final class SharedLibraries {
  // "libz.so.1 => /lib/x86_64-linux-gnu/libz.so.1 (0x...)", "libfoo.so => not found"
  private static final Pattern RESOLVED = Pattern.compile("^\\s*(\\S+)\\s+=>\\s+(\\S+)(?:\\s+\\(0x[0-9a-f]+\\))?\\s*$");
  // "/lib64/ld-linux-x86-64.so.2 (0x...)": the dynamic loader, by absolute path
  private static final Pattern LOADER = Pattern.compile("^\\s*(/\\S+)\\s+\\(0x[0-9a-f]+\\)\\s*$");

  private SharedLibraries() {}

  /**
   * Maps each absolute path a library is loaded from (its path inside the image) to the host file to copy
   * there, for {@code bin/java}, {@code lib/server/libjvm.so} and every {@code lib/*.so} of {@code jre}.
   * Libraries inside the JRE itself are left out: they travel with it.
   */
  static Map<String, Path> neededBy(Path jre) throws IOException {
    List<Path> binaries = new ArrayList<>();
    binaries.add(jre.resolve("bin/java"));
    binaries.add(jre.resolve("lib/server/libjvm.so"));
    try (Stream<Path> libs = Files.list(jre.resolve("lib"))) {
      libs.filter(p -> p.getFileName().toString().endsWith(".so")).sorted().forEach(binaries::add);
    }
    Map<String, Path> needed = new TreeMap<>();
    Path jreReal = jre.toRealPath();
    Set<String> provided;
    try (Stream<Path> files = Files.walk(jre)) {
      provided = files.map(p -> p.getFileName().toString()).filter(n -> n.contains(".so")).collect(Collectors.toSet());
    }
    for (Path binary : binaries) {
      if (!Files.exists(binary)) {
        continue;
      }
      for (String path : parse(binary, ldd(binary), provided)) {
        Path host = Path.of(path);
        if (host.normalize().startsWith(jre.normalize()) || host.toRealPath().startsWith(jreReal)) {
          continue;
        }
        needed.put(host.normalize().toString(), host.toRealPath());
      }
    }
    return needed;
  }

  /**
   * The absolute library paths in {@code ldd}'s output for {@code binary}; fails on "not found" except
   * for the libraries named in {@code provided} (the JRE's own, such as libjvm.so, found at run time).
   */
  static List<String> parse(Path binary, String lddOutput, Set<String> provided) {
    List<String> paths = new ArrayList<>();
    for (String line : lddOutput.split("\n")) {
      if (line.contains("=> not found")) {
        if (provided.contains(line.trim().split("\\s+")[0])) {
          continue;
        }
        throw new ImageBuildException("shared library " + line.trim().split("\\s+")[0] + " needed by "
            + binary + " is not installed on this machine; install it (or build on a machine where `ldd "
            + binary + "` finds everything)");
      }
      Matcher resolved = RESOLVED.matcher(line);
      if (resolved.matches()) {
        String target = resolved.group(2);
        if (target.startsWith("/")) {
          paths.add(target);
        }
        continue;
      }
      Matcher loader = LOADER.matcher(line);
      if (loader.matches()) {
        paths.add(loader.group(1));
      }
    }
    return paths;
  }

  private static String ldd(Path binary) throws IOException {
    Process process;
    try {
      process = new ProcessBuilder("ldd", binary.toString()).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new ImageBuildException("could not run ldd to find the shared libraries of " + binary + " ("
          + e.getMessage() + "); function images are built on Linux with glibc's ldd installed", e);
    }
    byte[] out = process.getInputStream().readAllBytes();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new ImageBuildException("ldd " + binary + " did not finish within 30 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ImageBuildException("interrupted while running ldd " + binary, e);
    }
    String output = new String(out, StandardCharsets.UTF_8);
    if (process.exitValue() != 0 && !output.contains("=>")) {
      throw new ImageBuildException("ldd " + binary + " failed (exit " + process.exitValue() + "): " + output.trim());
    }
    return output;
  }
}
