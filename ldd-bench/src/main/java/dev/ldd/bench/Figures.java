package dev.ldd.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The full-path driver's results: one row per figure, each with its values from every run, the
 * baseline measured in the same run, and the target it is shown against (never asserted).
 */
final class Figures {
  enum Target {
    NONE, RATIO_AT_MOST, AT_LEAST, AT_MOST
  }

  static final class Row {
    final String scenario;
    final String metric;
    final String unit;
    final Target kind;
    final double bound;
    final String targetText;
    final List<Double> ldd = new ArrayList<>();
    final List<Double> base = new ArrayList<>();

    Row(String scenario, String metric, String unit, Target kind, double bound, String targetText) {
      this.scenario = scenario;
      this.metric = metric;
      this.unit = unit;
      this.kind = kind;
      this.bound = bound;
      this.targetText = targetText;
    }
  }

  private final Map<String, Row> rows = new LinkedHashMap<>();

  /** Adds one run's value (and its baseline, NaN for none) to the row, creating it on first use. */
  synchronized void add(String scenario, String metric, String unit, double ldd, double base, Target kind,
      double bound, String targetText) {
    Row r = rows.computeIfAbsent(scenario + "|" + metric,
        k -> new Row(scenario, metric, unit, kind, bound, targetText));
    r.ldd.add(ldd);
    r.base.add(base);
  }

  void add(String scenario, String metric, String unit, double ldd, double base) {
    add(scenario, metric, unit, ldd, base, Target.NONE, 0, "");
  }

  /** One line per value, for a child JVM to hand its rows to the parent. */
  synchronized List<String> serialize() {
    List<String> out = new ArrayList<>();
    for (Row r : rows.values()) {
      for (int i = 0; i < r.ldd.size(); i++) {
        out.add(String.join("\t", "@@FIG", r.scenario, r.metric, r.unit, Double.toString(r.ldd.get(i)),
            Double.toString(r.base.get(i)), r.kind.name(), Double.toString(r.bound), r.targetText));
      }
    }
    return out;
  }

  /** Reads a line of {@link #serialize}; false when it is not one. */
  boolean parse(String line) {
    if (!line.startsWith("@@FIG\t")) {
      return false;
    }
    String[] f = line.split("\t", -1);
    add(f[1], f[2], f[3], Double.parseDouble(f[4]), Double.parseDouble(f[5]), Target.valueOf(f[6]),
        Double.parseDouble(f[7]), f[8]);
    return true;
  }

  synchronized String table() {
    List<String[]> lines = new ArrayList<>();
    lines.add(new String[] {"scenario", "figure", "LDD (each run)", "baseline (same run)", "LDD/baseline", "target",
        "verdict"});
    for (Row r : rows.values()) {
      String ratio = "";
      boolean hasBase = r.base.stream().noneMatch(b -> b.isNaN());
      if (hasBase) {
        List<String> rs = new ArrayList<>();
        for (int i = 0; i < r.ldd.size(); i++) {
          rs.add(String.format(Locale.ROOT, "%.2fx", r.ldd.get(i) / r.base.get(i)));
        }
        ratio = String.join(" / ", rs);
      }
      lines.add(new String[] {r.scenario, r.metric, join(r.ldd, r.unit), hasBase ? join(r.base, r.unit) : "-",
          ratio, r.targetText, verdict(r)});
    }
    int[] w = new int[7];
    for (String[] l : lines) {
      for (int i = 0; i < 7; i++) {
        w[i] = Math.max(w[i], l[i].length());
      }
    }
    StringBuilder sb = new StringBuilder();
    for (int n = 0; n < lines.size(); n++) {
      String[] l = lines.get(n);
      sb.append("| ");
      for (int i = 0; i < 7; i++) {
        sb.append(pad(l[i], w[i])).append(" | ");
      }
      sb.setLength(sb.length() - 1);
      sb.append('\n');
      if (n == 0) {
        sb.append('|');
        for (int i = 0; i < 7; i++) {
          sb.append("-".repeat(w[i] + 2)).append('|');
        }
        sb.append('\n');
      }
    }
    return sb.toString();
  }

  private static String verdict(Row r) {
    if (r.kind == Target.NONE) {
      return "";
    }
    int met = 0;
    for (int i = 0; i < r.ldd.size(); i++) {
      double v = r.kind == Target.RATIO_AT_MOST ? r.ldd.get(i) / r.base.get(i) : r.ldd.get(i);
      boolean ok = switch (r.kind) {
        case RATIO_AT_MOST, AT_MOST -> v <= r.bound;
        case AT_LEAST -> v >= r.bound;
        case NONE -> true;
      };
      met += ok ? 1 : 0;
    }
    return met == r.ldd.size() ? "met" : met == 0 ? "MISSED" : "mixed (" + met + "/" + r.ldd.size() + " met)";
  }

  private static String join(List<Double> values, String unit) {
    return values.stream().map(v -> format(v)).collect(Collectors.joining(" / ")) + (unit.isEmpty() ? "" : " " + unit);
  }

  static String format(double v) {
    double a = Math.abs(v);
    if (a >= 10_000) {
      return String.format(Locale.ROOT, "%,.0f", v);
    }
    if (a >= 100) {
      return String.format(Locale.ROOT, "%.0f", v);
    }
    if (a >= 10) {
      return String.format(Locale.ROOT, "%.1f", v);
    }
    return String.format(Locale.ROOT, "%.2f", v);
  }

  private static String pad(String s, int w) {
    return s + " ".repeat(w - s.length());
  }

  /** Nearest-rank percentile of {@code values} (sorted in place). */
  static double pct(long[] values, int n, double p) {
    Arrays.sort(values, 0, n);
    int rank = (int) Math.ceil(p / 100.0 * n);
    return values[Math.max(0, Math.min(n - 1, rank - 1))];
  }
}
