package io.drctl.benchmarks;

import static io.drctl.benchmarks.PostgresBenchmark.BASE_OURS;
import static io.drctl.benchmarks.PostgresBenchmark.BASE_OURS_BEST;
import static io.drctl.benchmarks.PostgresBenchmark.BASE_RAW;
import static io.drctl.benchmarks.PostgresBenchmark.DUMP_DIRECTORY_OURS;
import static io.drctl.benchmarks.PostgresBenchmark.DUMP_DIRECTORY_RAW;
import static io.drctl.benchmarks.PostgresBenchmark.DUMP_OURS;
import static io.drctl.benchmarks.PostgresBenchmark.DUMP_OURS_BARE;
import static io.drctl.benchmarks.PostgresBenchmark.DUMP_OURS_S3;
import static io.drctl.benchmarks.PostgresBenchmark.DUMP_RAW;
import static io.drctl.benchmarks.PostgresBenchmark.PITR_OURS;
import static io.drctl.benchmarks.PostgresBenchmark.PITR_OURS_BEST;
import static io.drctl.benchmarks.PostgresBenchmark.PITR_RAW;
import static io.drctl.benchmarks.PostgresBenchmark.RESTORE_OURS;
import static io.drctl.benchmarks.PostgresBenchmark.RESTORE_OURS_S3;
import static io.drctl.benchmarks.PostgresBenchmark.RESTORE_RAW;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The timings and notes of one {@link PostgresBenchmark} run, and its report: each contender's
 * seconds (median, min–max) and ours ÷ baseline per round against its goal, then ours against
 * pgBackRest's fastest setting of each round. Every ratio also goes to {@link BenchmarkResults}.
 */
final class PostgresBenchmarkReport {
  /** One measured piece of work. */
  interface Work {
    void run() throws Exception;
  }

  private final Map<String, List<Double>> seconds = new LinkedHashMap<>();
  private final Map<String, String> notes = new LinkedHashMap<>();

  /** Runs {@code work}, prints its time and keeps it under {@code name}. */
  void measure(String name, Work work) throws Exception {
    long start = System.nanoTime();
    work.run();
    double took = (System.nanoTime() - start) / 1e9;
    seconds.computeIfAbsent(name, k -> new ArrayList<>()).add(took);
    System.out.printf(Locale.ROOT, "  %-80s %8.2f s%n", name, took);
  }

  /** A line printed under the tables. */
  void note(String name, String text) {
    notes.put(name, text);
  }

  /** Prints the tables. */
  void print() {
    System.out.println();
    System.out.println(
        "| contender | seconds, median (min–max) | ours ÷ baseline, median of rounds (min–max) | goal |");
    System.out.println("|---|---|---|---|");
    row(DUMP_RAW, null, "");
    row(DUMP_OURS, DUMP_RAW, "≤ 1.15");
    row(DUMP_OURS_BARE, DUMP_RAW, "≤ 1.15");
    row(DUMP_DIRECTORY_RAW, null, "");
    row(DUMP_DIRECTORY_OURS, DUMP_DIRECTORY_RAW, "≤ 1.15");
    row(RESTORE_RAW, null, "");
    row(RESTORE_OURS, RESTORE_RAW, "≤ 1.15");
    row(DUMP_OURS_S3, DUMP_RAW, "≤ 1.20");
    row(RESTORE_OURS_S3, RESTORE_RAW, "≤ 1.20");
    for (PgBackRest.Setting setting : PgBackRest.Setting.values()) {
      row(baseRaw(setting), null, "");
    }
    row(BASE_OURS, BASE_RAW, "≤ 1.15");
    row(BASE_OURS_BEST, baseRaw(PgBackRest.Setting.DEFAULTS), "≤ 1.15");
    for (PgBackRest.Setting setting : PgBackRest.Setting.values()) {
      row(pitrRaw(setting), null, "");
    }
    row(PITR_OURS, PITR_RAW, "≤ 1.25");
    row(PITR_OURS_BEST, PITR_RAW, "≤ 1.25");
    System.out.println();
    System.out.println("Against pgBackRest's fastest setting in each round (goal ≤ 1.00):");
    System.out.println();
    System.out.println(
        "| ours | ÷ fastest pgBackRest setting of the round, median (min–max) | rounds | fastest setting per round |");
    System.out.println("|---|---|---|---|");
    againstFastest(BASE_OURS_BEST, PostgresBenchmarkReport::baseRaw);
    againstFastest(BASE_OURS, PostgresBenchmarkReport::baseRaw);
    againstFastest(PITR_OURS_BEST, PostgresBenchmarkReport::pitrRaw);
    againstFastest(PITR_OURS, PostgresBenchmarkReport::pitrRaw);
    System.out.println();
    notes.forEach((name, text) -> System.out.println(name + ": " + text));
    System.out.println("load average at end: " + BenchmarkResults.loadAverage());
  }

  private void row(String name, String baseline, String goal) {
    List<Double> values = seconds.get(name);
    String ratio = "baseline";
    if (baseline != null) {
      List<Double> base = seconds.get(baseline);
      List<Double> ratios = new ArrayList<>();
      for (int i = 0; i < values.size(); i++) {
        ratios.add(values.get(i) / base.get(i));
      }
      Spread spread = Spread.of(ratios);
      double limit = Double.parseDouble(goal.substring(2));
      BenchmarkResults.ratio("postgres", name + " ÷ " + baseline, ratios, limit);
      ratio = spread.format("%.2f");
      goal = goal + (spread.median() <= limit ? ": met" : ": **not met**");
    }
    System.out.printf(
        Locale.ROOT,
        "| %s | %s | %s | %s |%n",
        name,
        Spread.of(values).format("%.1f"),
        ratio,
        goal);
  }

  /** The row of pgBackRest's base backup in {@code setting}. */
  static String baseRaw(PgBackRest.Setting setting) {
    return setting == PgBackRest.Setting.DEFAULTS
        ? BASE_RAW
        : BASE_RAW + " (" + setting.label + ")";
  }

  /** The row of pgBackRest's PITR in {@code setting}. */
  static String pitrRaw(PgBackRest.Setting setting) {
    return setting == PgBackRest.Setting.DEFAULTS
        ? PITR_RAW
        : PITR_RAW + " (" + setting.label + ")";
  }

  /** Ours against the fastest of pgBackRest's settings in the same round. */
  private void againstFastest(String name, Function<PgBackRest.Setting, String> raw) {
    List<Double> values = seconds.get(name);
    List<Double> ratios = new ArrayList<>();
    List<String> fastest = new ArrayList<>();
    for (int i = 0; i < values.size(); i++) {
      PgBackRest.Setting best = null;
      for (PgBackRest.Setting setting : PgBackRest.Setting.values()) {
        if (best == null
            || seconds.get(raw.apply(setting)).get(i) < seconds.get(raw.apply(best)).get(i)) {
          best = setting;
        }
      }
      ratios.add(values.get(i) / seconds.get(raw.apply(best)).get(i));
      fastest.add(best.name().toLowerCase(Locale.ROOT));
    }
    BenchmarkResults.ratio("postgres", name + " ÷ fastest pgBackRest setting", ratios, 1.00);
    Spread spread = Spread.of(ratios);
    System.out.printf(
        Locale.ROOT,
        "| %s | %s: %s | %s | %s |%n",
        name,
        spread.format("%.2f"),
        spread.median() <= 1.00 ? "met" : "**not met**",
        String.join(", ", ratios.stream().map(r -> String.format(Locale.ROOT, "%.2f", r)).toList()),
        String.join(", ", fastest));
  }
}
