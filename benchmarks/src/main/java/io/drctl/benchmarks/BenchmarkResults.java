package io.drctl.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Where a benchmark records its ratios (ours ÷ the baseline of the same round, one value a round)
 * for {@code benchmarks/run all}: one JSON line a figure, appended to the file named by the
 * environment variable {@value #ENV}. Without it, recording does nothing (a benchmark run on its
 * own prints its tables only).
 */
final class BenchmarkResults {
  static final String ENV = "DRCTL_BENCH_RESULTS";
  private static final ObjectMapper JSON = new ObjectMapper();

  private BenchmarkResults() {}

  /**
   * Records figure {@code figure} of benchmark {@code benchmark}: its per-round ratios, in round
   * order, and the goal (the largest ratio that meets it; NaN for none).
   */
  static synchronized void ratio(
      String benchmark, String figure, List<Double> rounds, double goal) {
    String file = System.getenv(ENV);
    if (file == null || file.isBlank() || rounds.isEmpty()) {
      return;
    }
    Spread spread = Spread.of(rounds);
    ObjectNode line =
        JSON.createObjectNode()
            .put("benchmark", benchmark)
            .put("figure", figure)
            .put("median", spread.median())
            .put("min", spread.min())
            .put("max", spread.max());
    if (!Double.isNaN(goal)) {
      line.put("goal", goal);
    }
    rounds.forEach(line.putArray("rounds")::add);
    line.put("load", loadAverage());
    try {
      Files.writeString(
          Path.of(file),
          JSON.writeValueAsString(line) + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to " + file + " (" + ENV + ")", e);
    }
  }

  /** The 1, 5 and 15 minute load averages, e.g. {@code 1.20 0.90 0.75}. */
  static String loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return parts[0] + " " + parts[1] + " " + parts[2];
    } catch (IOException e) {
      return "unknown";
    }
  }
}
