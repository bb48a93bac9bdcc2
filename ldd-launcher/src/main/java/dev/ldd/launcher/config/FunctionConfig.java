package dev.ldd.launcher.config;

import static java.util.Objects.requireNonNull;

import dev.ldd.core.model.Concurrency;
import dev.ldd.core.model.DeadLetterPolicy;
import dev.ldd.core.model.FunctionSpec;
import dev.ldd.core.model.PublishMode;
import dev.ldd.core.model.Resources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One {@code functions} entry. What runs is given by {@code image} (Docker), or for the process runtime
 * by {@code command}, or by {@code jar} (with {@code mainClass}: {@code java -cp jar mainClass};
 * without: {@code java -jar jar}). {@link #toSpec} resolves that into the engine's {@link FunctionSpec}.
 *
 * @param name unique function name
 * @param image the container image; for the process runtime, optional (defaults to the command)
 * @param command the command line (Docker: overrides the image's; process runtime: what runs)
 * @param jar process runtime: the jar to run with the runtime's java
 * @param mainClass process runtime: the main class in {@code jar}
 * @param port the port the wrapper listens on inside a container
 * @param env extra environment; values of keys naming a secret are masked in {@link #toString}
 * @param routes where its messages come from
 * @param deadLetterTopic where its dead letters are published; empty for the bus's dead-message queue
 */
public record FunctionConfig(
    String name,
    Optional<String> image,
    List<String> command,
    Optional<String> jar,
    Optional<String> mainClass,
    int port,
    Map<String, String> env,
    List<RouteConfig> routes,
    Concurrency concurrency,
    Duration idleTimeout,
    Duration invocationTimeout,
    Duration startTimeout,
    int maxDeliveries,
    boolean killOnError,
    Optional<String> deadLetterTopic,
    PublishMode publishMode,
    Resources resources) {

  public FunctionConfig {
    requireNonNull(name, "name");
    requireNonNull(image, "image");
    command = List.copyOf(command);
    requireNonNull(jar, "jar");
    requireNonNull(mainClass, "mainClass");
    if (mainClass.isPresent() && jar.isEmpty()) {
      throw new IllegalArgumentException("function '" + name + "': mainClass needs a jar");
    }
    env = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(env));
    routes = List.copyOf(routes);
    requireNonNull(concurrency, "concurrency");
    requireNonNull(idleTimeout, "idleTimeout");
    requireNonNull(invocationTimeout, "invocationTimeout");
    requireNonNull(startTimeout, "startTimeout");
    requireNonNull(deadLetterTopic, "deadLetterTopic");
    requireNonNull(publishMode, "publishMode");
    requireNonNull(resources, "resources");
  }

  /**
   * The engine's view of this function under {@code runtime}. For the process runtime a {@code jar}
   * becomes an explicit command line with the runtime's java binary, and the image (which the process
   * runtime does not use) defaults to the jar or the command's program.
   *
   * @throws IllegalArgumentException if nothing says what to run (config validation reports that first)
   */
  public FunctionSpec toSpec(RuntimeConfig runtime) {
    List<String> cmd = command;
    String img = image.orElse(null);
    if (runtime instanceof RuntimeConfig.Process process && jar.isPresent()) {
      List<String> c = new ArrayList<>();
      c.add(process.java().toString());
      if (mainClass.isPresent()) {
        c.addAll(List.of("-cp", jar.get(), mainClass.get()));
      } else {
        c.addAll(List.of("-jar", jar.get()));
      }
      cmd = c;
      img = img == null ? jar.get() : img;
    }
    if (img == null && !cmd.isEmpty()) {
      img = cmd.get(0);
    }
    if (img == null) {
      throw new IllegalArgumentException("function '" + name + "': needs an image, a command or a jar");
    }
    return FunctionSpec.builder(name, img)
        .command(cmd)
        .port(port)
        .env(env)
        .resources(resources)
        .concurrency(concurrency)
        .idleTimeout(idleTimeout)
        .invocationTimeout(invocationTimeout)
        .startTimeout(startTimeout)
        .maxDeliveries(maxDeliveries)
        .killOnError(killOnError)
        .deadLetter(deadLetterTopic.map(DeadLetterPolicy::toTopic).orElse(DeadLetterPolicy.BUS))
        .publishMode(publishMode)
        .build();
  }

  /** {@code env} with the values of secret-named keys replaced by {@code ***}. */
  public Map<String, String> maskedEnv() {
    Map<String, String> out = new LinkedHashMap<>();
    env.forEach((k, v) -> out.put(k, Secret.isSecretKey(k) ? Secret.MASK : v));
    return out;
  }

  @Override
  public String toString() {
    return "FunctionConfig[name=" + name + ", image=" + image + ", command=" + command + ", jar=" + jar
        + ", mainClass=" + mainClass + ", port=" + port + ", env=" + maskedEnv() + ", routes=" + routes
        + ", concurrency=" + concurrency + ", idleTimeout=" + idleTimeout + ", invocationTimeout="
        + invocationTimeout + ", startTimeout=" + startTimeout + ", maxDeliveries=" + maxDeliveries
        + ", killOnError=" + killOnError + ", deadLetterTopic=" + deadLetterTopic + ", publishMode="
        + publishMode + ", resources=" + resources + "]";
  }
}
