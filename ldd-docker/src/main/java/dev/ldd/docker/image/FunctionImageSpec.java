package dev.ldd.docker.image;

import java.util.stream.Stream;
import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What goes into a function image. Build with {@link #builder}.
 *
 * @param tag the image's tag, such as {@code ldd-examples/enrich:1}
 * @param functionJar the jar with the function's classes
 * @param classpath further jars the function needs (the LDD SDK, protobuf, its own libraries)
 * @param mainClass the class whose {@code main} starts the function's wrapper
 * @param extraModules JDK modules to link on top of what {@code jdeps} finds (for reflection, services)
 * @param labels extra labels on the image
 */
public record FunctionImageSpec(
    String tag, Path functionJar, List<Path> classpath, String mainClass, Set<String> extraModules,
    Map<String, String> labels) {

  // Docker's reference grammar, loosely: lowercase path components, an optional tag.
  private static final Pattern TAG = Pattern.compile(
      "[a-z0-9]+(?:[._-][a-z0-9]+)*(?::[0-9]+)?(?:/[a-z0-9]+(?:[._-][a-z0-9]+)*)*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?");
  private static final Pattern CLASS_NAME = Pattern.compile("[\\p{L}_$][\\p{L}\\p{N}_$]*(?:\\.[\\p{L}_$][\\p{L}\\p{N}_$]*)*");

  public FunctionImageSpec {
    requireNonNull(tag, "tag");
    if (!TAG.matcher(tag).matches()) {
      throw new IllegalArgumentException("image tag '" + tag + "' is not a valid Docker reference: use "
          + "lowercase name components separated by '/', and an optional ':tag', such as ldd-examples/enrich:1");
    }
    requireNonNull(functionJar, "functionJar");
    classpath = classpath == null ? List.of() : List.copyOf(classpath);
    requireNonNull(mainClass, "mainClass");
    if (!CLASS_NAME.matcher(mainClass).matches()) {
      throw new IllegalArgumentException("main class '" + mainClass + "' is not a Java class name");
    }
    extraModules = extraModules == null ? Set.of() : Set.copyOf(extraModules);
    labels = labels == null ? Map.of() : Map.copyOf(labels);
  }

  public static Builder builder(String tag, Path functionJar, String mainClass) {
    return new Builder(tag, functionJar, mainClass);
  }

  /** Every jar, the function's first. */
  public List<Path> jars() {
    return Stream.concat(Stream.of(functionJar), classpath.stream()).toList();
  }

  public static final class Builder {
    private final String tag;
    private final Path functionJar;
    private final String mainClass;
    private List<Path> classpath = List.of();
    private Set<String> extraModules = Set.of();
    private Map<String, String> labels = Map.of();

    private Builder(String tag, Path functionJar, String mainClass) {
      this.tag = tag;
      this.functionJar = functionJar;
      this.mainClass = mainClass;
    }

    public Builder classpath(List<Path> classpath) {
      this.classpath = classpath;
      return this;
    }

    public Builder extraModules(Set<String> extraModules) {
      this.extraModules = extraModules;
      return this;
    }

    public Builder labels(Map<String, String> labels) {
      this.labels = labels;
      return this;
    }

    public FunctionImageSpec build() {
      return new FunctionImageSpec(tag, functionJar, classpath, mainClass, extraModules, labels);
    }
  }
}
