package dev.ldd.core;

import java.util.List;

/** Invalid configuration. {@link #problems()} lists every problem, each naming its path. */
public class ConfigException extends LddException {
  private final List<String> problems;

  public ConfigException(List<String> problems) {
    super(String.join("; ", problems));
    this.problems = List.copyOf(problems);
  }

  public ConfigException(String problem) {
    this(List.of(problem));
  }

  public List<String> problems() {
    return problems;
  }
}
