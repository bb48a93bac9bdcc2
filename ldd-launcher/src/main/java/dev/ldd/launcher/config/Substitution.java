package dev.ldd.launcher.config;

import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Resolves {@code ${VAR}} and {@code ${VAR:-default}} in configuration values from an environment map.
 * The default applies when the variable is unset or empty, as in a POSIX shell; {@code $${} stands for a
 * literal {@code ${}.
 */
final class Substitution {
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private final Map<String, String> env;

  Substitution(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  /** A variable of the environment, when set and not empty (for defaults such as {@code DOCKER_HOST}). */
  java.util.Optional<String> env(String name) {
    return java.util.Optional.ofNullable(env.get(name)).filter(v -> !v.isEmpty());
  }

  /**
   * The value of {@code text} with every reference resolved, or null after telling {@code problem} what
   * was wrong (an unset variable without a default, a malformed reference).
   */
  String resolve(String text, Consumer<String> problem) {
    if (text.indexOf('$') < 0) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    int i = 0;
    boolean ok = true;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '$' && text.startsWith("$${", i)) {
        out.append("${");
        i += 3;
      } else if (c == '$' && text.startsWith("${", i)) {
        int close = text.indexOf('}', i + 2);
        if (close < 0) {
          problem.accept("unterminated ${ in a value: close it with }");
          return null;
        }
        String ref = text.substring(i + 2, close);
        int dash = ref.indexOf(":-");
        String name = dash < 0 ? ref : ref.substring(0, dash);
        if (!NAME.matcher(name).matches()) {
          problem.accept("'${" + ref + "}' is not a variable reference: use ${NAME} or ${NAME:-default}");
          ok = false;
        } else {
          String value = env.get(name);
          if (value == null || value.isEmpty()) {
            if (dash >= 0) {
              value = ref.substring(dash + 2);
            } else if (value == null) {
              problem.accept("environment variable " + name + " is not set (give it a value, or write ${"
                  + name + ":-default})");
              ok = false;
              value = "";
            }
          }
          out.append(value);
        }
        i = close + 1;
      } else {
        out.append(c);
        i++;
      }
    }
    return ok ? out.toString() : null;
  }
}
