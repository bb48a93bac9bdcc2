package dev.ldd.solace.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Helpers the records share for copying lists and naming problems by path. */
final class Problems {
  static final String MASK = "****";

  private Problems() {}

  /** An unmodifiable copy that keeps null elements, so validation can report them by index. */
  static <T> List<T> copy(List<T> list) {
    return list == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(list));
  }

  static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  static String mask(String secret) {
    return secret == null ? "null" : MASK;
  }

  static void range(List<String> problems, String path, int value, int min, int max) {
    if (value < min || value > max) {
      problems.add(path + ": must be in " + min + ".." + max + ", was " + value);
    }
  }
}
