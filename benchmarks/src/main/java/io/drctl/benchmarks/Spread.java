package io.drctl.benchmarks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** The median and range of a few measured rounds. */
record Spread(double median, double min, double max, int rounds) {
  static Spread of(List<Double> values) {
    if (values.isEmpty()) {
      throw new IllegalArgumentException("no rounds measured");
    }
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    double median =
        n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    return new Spread(median, sorted.get(0), sorted.get(n - 1), n);
  }

  /** e.g. {@code 12.3 (11.9–13.0)}. */
  String format(String pattern) {
    return String.format(
        Locale.ROOT, pattern + " (" + pattern + "–" + pattern + ")", median, min, max);
  }
}
