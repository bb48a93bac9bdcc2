package dev.ldd.core.model;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Everything the engine and the runtimes need to know about one function. Build with {@link #builder}.
 *
 * @param name unique name: letters, digits, '-', '_' and '.', starting with a letter or digit
 * @param image the container image (Docker) or artifact the runtime starts
 * @param command runtime-specific command line; empty for the image's own (the process runtime's command)
 * @param port the port the wrapper listens on inside the instance (passed to it as {@code LDD_PORT})
 * @param env extra environment for the instance
 * @param resources limits per instance
 * @param concurrency invocations per instance and instance bounds
 * @param idleTimeout how long an idle instance stays warm before the engine stops it
 * @param invocationTimeout how long one invocation may take before the instance is killed
 * @param startTimeout how long an instance may take from start to its ready handshake
 * @param maxDeliveries deliveries (first one included) after which a failing message is dead-lettered
 * @param killOnError whether an ERROR result retires the instance it ran on
 * @param deadLetter where dead-lettered messages go
 * @param publishMode when the function's publications are sent
 */
public record FunctionSpec(
    String name,
    String image,
    List<String> command,
    int port,
    Map<String, String> env,
    Resources resources,
    Concurrency concurrency,
    Duration idleTimeout,
    Duration invocationTimeout,
    Duration startTimeout,
    int maxDeliveries,
    boolean killOnError,
    DeadLetterPolicy deadLetter,
    PublishMode publishMode) {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

  public FunctionSpec {
    requireNonNull(name, "name");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("function name '" + name
          + "' must be 1-63 letters, digits, '.', '_' or '-', starting with a letter or digit");
    }
    requireNonNull(image, "image");
    if (image.isBlank()) {
      throw new IllegalArgumentException("function '" + name + "': image must not be blank");
    }
    command = command == null ? List.of() : List.copyOf(command);
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("function '" + name + "': port must be in 1..65535, was " + port);
    }
    env = env == null ? Map.of() : Map.copyOf(env);
    requireNonNull(resources, "resources");
    requireNonNull(concurrency, "concurrency");
    positive(name, "idleTimeout", idleTimeout);
    positive(name, "invocationTimeout", invocationTimeout);
    positive(name, "startTimeout", startTimeout);
    if (maxDeliveries < 1) {
      throw new IllegalArgumentException(
          "function '" + name + "': maxDeliveries must be >= 1, was " + maxDeliveries);
    }
    requireNonNull(deadLetter, "deadLetter");
    requireNonNull(publishMode, "publishMode");
  }

  /** Like the record's own, but with the values of secret-looking env keys masked. */
  @Override
  public String toString() {
    Map<String, String> shownEnv = new java.util.TreeMap<>();
    env.forEach((k, v) -> shownEnv.put(k, isSecretKey(k) ? "***" : v));
    return "FunctionSpec[name=" + name + ", image=" + image + ", command=" + command + ", port=" + port
        + ", env=" + shownEnv + ", resources=" + resources + ", concurrency=" + concurrency + ", idleTimeout="
        + idleTimeout + ", invocationTimeout=" + invocationTimeout + ", startTimeout=" + startTimeout
        + ", maxDeliveries=" + maxDeliveries + ", killOnError=" + killOnError + ", deadLetter=" + deadLetter
        + ", publishMode=" + publishMode + "]";
  }

  /** Whether an env key names a secret (its value is never printed): password, secret, token, key. */
  public static boolean isSecretKey(String key) {
    String k = key.toLowerCase(java.util.Locale.ROOT);
    return k.contains("password") || k.contains("secret") || k.contains("token") || k.endsWith("key");
  }

  private static void positive(String name, String field, Duration d) {
    requireNonNull(d, field);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("function '" + name + "': " + field + " must be positive, was " + d);
    }
  }

  public static Builder builder(String name, String image) {
    return new Builder(name, image);
  }

  public Builder toBuilder() {
    return new Builder(name, image)
        .command(command)
        .port(port)
        .env(env)
        .resources(resources)
        .concurrency(concurrency)
        .idleTimeout(idleTimeout)
        .invocationTimeout(invocationTimeout)
        .startTimeout(startTimeout)
        .maxDeliveries(maxDeliveries)
        .killOnError(killOnError)
        .deadLetter(deadLetter)
        .publishMode(publishMode);
  }

  /** Defaults: port 8080, one invocation per instance, 0..4 instances, 5 min idle, 30 s timeout. */
  public static final class Builder {
    private final String name;
    private final String image;
    private List<String> command = List.of();
    private int port = 8080;
    private Map<String, String> env = Map.of();
    private Resources resources = Resources.UNLIMITED;
    private Concurrency concurrency = Concurrency.DEFAULT;
    private Duration idleTimeout = Duration.ofMinutes(5);
    private Duration invocationTimeout = Duration.ofSeconds(30);
    private Duration startTimeout = Duration.ofSeconds(30);
    private int maxDeliveries = 5;
    private boolean killOnError = true;
    private DeadLetterPolicy deadLetter = DeadLetterPolicy.BUS;
    private PublishMode publishMode = PublishMode.BUFFERED;

    private Builder(String name, String image) {
      this.name = name;
      this.image = image;
    }

    public Builder command(List<String> command) {
      this.command = command;
      return this;
    }

    public Builder port(int port) {
      this.port = port;
      return this;
    }

    public Builder env(Map<String, String> env) {
      this.env = env;
      return this;
    }

    public Builder resources(Resources resources) {
      this.resources = resources;
      return this;
    }

    public Builder concurrency(Concurrency concurrency) {
      this.concurrency = concurrency;
      return this;
    }

    public Builder concurrency(int perInstance, int minInstances, int maxInstances) {
      return concurrency(new Concurrency(perInstance, minInstances, maxInstances));
    }

    public Builder idleTimeout(Duration idleTimeout) {
      this.idleTimeout = idleTimeout;
      return this;
    }

    public Builder invocationTimeout(Duration invocationTimeout) {
      this.invocationTimeout = invocationTimeout;
      return this;
    }

    public Builder startTimeout(Duration startTimeout) {
      this.startTimeout = startTimeout;
      return this;
    }

    public Builder maxDeliveries(int maxDeliveries) {
      this.maxDeliveries = maxDeliveries;
      return this;
    }

    public Builder killOnError(boolean killOnError) {
      this.killOnError = killOnError;
      return this;
    }

    public Builder deadLetter(DeadLetterPolicy deadLetter) {
      this.deadLetter = deadLetter;
      return this;
    }

    public Builder publishMode(PublishMode publishMode) {
      this.publishMode = publishMode;
      return this;
    }

    public FunctionSpec build() {
      return new FunctionSpec(name, image, command, port, env, resources, concurrency, idleTimeout,
          invocationTimeout, startTimeout, maxDeliveries, killOnError, deadLetter, publishMode);
    }
  }
}
