package dev.ldd.launcher.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the human units of the configuration file: durations ({@code 250ms}, {@code 1m30s}) and sizes. */
final class Units {
  private static final Pattern DURATION_PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");
  private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)([kmgt]?)(i?b?)");

  private Units() {}

  /** A duration such as {@code 250ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 1d} or {@code 1m30s}. */
  static Duration parseDuration(String text) {
    String t = text.trim();
    Matcher m = DURATION_PART.matcher(t);
    Duration total = Duration.ZERO;
    int at = 0;
    while (at < t.length() && m.find(at) && m.start() == at) {
      long n = Long.parseLong(m.group(1));
      total = total.plus(switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        case "d" -> Duration.ofDays(n);
        default -> throw new AssertionError(m.group(2));
      });
      at = m.end();
    }
    if (at == 0 || at != t.length()) {
      throw new IllegalArgumentException("must be a duration such as 250ms, 30s, 5m or 1h, was '" + text + "'");
    }
    return total;
  }

  /** A size in bytes such as {@code 256m}, {@code 1g}, {@code 512k}, {@code 1.5g} or a plain byte count. */
  static long parseSize(String text) {
    Matcher m = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException("must be a size such as 256m, 1g or 512k, was '" + text + "'");
    }
    int shift = switch (m.group(2)) {
      case "" -> 0;
      case "k" -> 10;
      case "m" -> 20;
      case "g" -> 30;
      case "t" -> 40;
      default -> throw new AssertionError(m.group(2));
    };
    return new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(1L << shift)).longValue();
  }

  /** A positive decimal number of CPUs, as billionths of a CPU. */
  static long parseNanoCpus(String text) {
    BigDecimal cpus;
    try {
      cpus = new BigDecimal(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("must be a number of CPUs such as 0.5 or 2, was '" + text + "'");
    }
    if (cpus.signum() <= 0) {
      throw new IllegalArgumentException("must be > 0, was " + text);
    }
    return cpus.movePointRight(9).longValue();
  }
}
