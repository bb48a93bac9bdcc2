package dev.ldd.launcher.config;

import static java.util.Objects.requireNonNull;

import dev.ldd.core.ConfigException;
import dev.ldd.core.model.FunctionSpec;
import dev.ldd.core.routing.Route;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A validated daemon configuration, read from the YAML file the launcher is given. Immutable.
 *
 * <p>Reading collects every problem before failing: {@link #parse} throws one {@link ConfigException}
 * whose {@link ConfigException#problems() problems} each name their path
 * ({@code functions[2].concurrency.maxInstances: must be >= minInstances (3), was 1}). Values may use
 * {@code ${VAR}} and {@code ${VAR:-default}} from the given environment ({@code $${} is a literal
 * {@code ${}). Unknown keys are errors. Things that are allowed but probably not meant (equally specific
 * routes) are {@link #warnings()}.
 *
 * @param warnings problems that do not stop the daemon, each naming its path
 */
public record LddConfig(
    DaemonConfig daemon,
    SourceConfig source,
    RuntimeConfig runtime,
    NoRouteConfig noRoute,
    List<FunctionConfig> functions,
    List<String> warnings) {

  public LddConfig {
    requireNonNull(daemon, "daemon");
    requireNonNull(source, "source");
    requireNonNull(runtime, "runtime");
    requireNonNull(noRoute, "noRoute");
    functions = List.copyOf(functions);
    warnings = List.copyOf(warnings);
  }

  /** Reads and validates {@code file}; {@code env} resolves {@code ${VAR}} references. */
  public static LddConfig load(Path file, Map<String, String> env) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ConfigException(file + ": no such file");
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read: " + e.getMessage());
    }
    return parse(text, env);
  }

  /** Parses and validates YAML text; {@code env} resolves {@code ${VAR}} references. */
  public static LddConfig parse(String yaml, Map<String, String> env) {
    return new ConfigBinder(env).bind(yaml);
  }

  /** The engine's function specs, in declaration order. */
  public List<FunctionSpec> functionSpecs() {
    return functions.stream().map(f -> f.toSpec(runtime)).toList();
  }

  /** The routes, one per (function, queue, topic), in declaration order. */
  public List<Route> routes() {
    List<Route> out = new ArrayList<>();
    for (FunctionConfig f : functions) {
      for (RouteConfig r : f.routes()) {
        for (String topic : r.topics()) {
          out.add(Route.of(r.queue(), topic, f.name()));
        }
      }
    }
    return List.copyOf(out);
  }
}
