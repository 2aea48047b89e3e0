package io.drctl.benchmarks;

import static io.drctl.benchmarks.BenchmarkResults.loadAverage;
import static io.drctl.benchmarks.RedisBenchmark.BACKUP_OURS;
import static io.drctl.benchmarks.RedisBenchmark.BACKUP_RAW;
import static io.drctl.benchmarks.RedisBenchmark.OUTAGE_OURS;
import static io.drctl.benchmarks.RedisBenchmark.OUTAGE_RAW;
import static io.drctl.benchmarks.RedisBenchmark.PART_CHECK;
import static io.drctl.benchmarks.RedisBenchmark.PART_KEYSETS;
import static io.drctl.benchmarks.RedisBenchmark.PART_SCAN;
import static io.drctl.benchmarks.RedisBenchmark.PART_STORE_READ;
import static io.drctl.benchmarks.RedisBenchmark.PART_STORE_WRITE;
import static io.drctl.benchmarks.RedisBenchmark.RESTORE_OURS;
import static io.drctl.benchmarks.RedisBenchmark.RESTORE_RAW;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The wall and CPU times and notes of one {@link RedisBenchmark} run, and its report: each
 * contender's seconds and CPU seconds (median, min–max), ours ÷ baseline per round against its
 * goal, and the parts measured alone. Every ratio also goes to {@link BenchmarkResults}.
 */
final class RedisBenchmarkReport {
  /** One measured piece of work, with its result. */
  interface Work<T> {
    T run() throws Exception;
  }

  private final Map<String, List<Double>> seconds = new LinkedHashMap<>();
  private final Map<String, List<Double>> cpu = new LinkedHashMap<>();
  private final Map<String, String> notes = new LinkedHashMap<>();

  /** Runs {@code work} as {@link #measure(String, BenchRedis, Work)} with no server. */
  <T> T measure(String name, Work<T> work) throws Exception {
    return measure(name, null, work);
  }

  /**
   * Runs {@code work}, recording its wall time and the CPU time it cost: this JVM's (with the tools
   * it ran) and, with {@code server}, the server's (with its BGSAVE child; across a restart, the
   * old process's and the new one's).
   */
  <T> T measure(String name, BenchRedis server, Work<T> work) throws Exception {
    long jvm = BenchRedis.cpuTicks(ProcessHandle.current().pid());
    long pid = server == null ? -1 : server.pid();
    long redis = server == null ? 0 : BenchRedis.cpuTicks(pid);
    long start = System.nanoTime();
    T result = work.run();
    double took = (System.nanoTime() - start) / 1e9;
    seconds.computeIfAbsent(name, k -> new ArrayList<>()).add(took);
    long ticks = BenchRedis.cpuTicks(ProcessHandle.current().pid()) - jvm;
    if (server != null) {
      long newPid = server.pid();
      if (newPid == pid) {
        ticks += BenchRedis.cpuTicks(pid) - redis;
      } else {
        long last = BenchRedis.cpuTicks(pid);
        ticks += BenchRedis.cpuTicks(newPid) + (last >= redis ? last - redis : 0);
      }
    }
    cpu.computeIfAbsent(name, k -> new ArrayList<>()).add(ticks / 100.0);
    System.out.printf(Locale.ROOT, "  %-80s %8.2f s  (CPU %.2f s)%n", name, took, ticks / 100.0);
    return result;
  }

  /** A value measured otherwise (seconds), shown in the first table. */
  void record(String name, double value) {
    seconds.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
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
    row(BACKUP_RAW, null, "");
    row(BACKUP_OURS, BACKUP_RAW, "≤ 1.15");
    row(RESTORE_RAW, null, "");
    row(RESTORE_OURS, RESTORE_RAW, "≤ 1.15");
    row(OUTAGE_RAW, null, "");
    row(OUTAGE_OURS, OUTAGE_RAW, "");
    row(PART_SCAN, null, "");
    row(PART_CHECK, null, "");
    row(PART_KEYSETS, null, "");
    row(PART_STORE_WRITE, null, "");
    row(PART_STORE_READ, null, "");
    System.out.println();
    System.out.println(
        "CPU time of each (this JVM with the tools it ran, and the redis-server with its BGSAVE"
            + " child; the SCAN part: the source server's and this JVM's):");
    System.out.println();
    System.out.println(
        "| contender | CPU seconds, median (min–max) | ours ÷ baseline, median of rounds (min–max) |");
    System.out.println("|---|---|---|");
    cpuRow(BACKUP_RAW, null);
    cpuRow(BACKUP_OURS, BACKUP_RAW);
    cpuRow(RESTORE_RAW, null);
    cpuRow(RESTORE_OURS, RESTORE_RAW);
    cpuRow(PART_SCAN, null);
    cpuRow(PART_CHECK, null);
    cpuRow(PART_KEYSETS, null);
    cpuRow(PART_STORE_WRITE, null);
    cpuRow(PART_STORE_READ, null);
    System.out.println();
    notes.forEach((name, text) -> System.out.println(name + ": " + text));
    System.out.println("load average at end: " + loadAverage());
  }

  private void row(String name, String baseline, String goal) {
    List<Double> values = seconds.get(name);
    String ratio = baseline == null && name.startsWith("part:") ? "" : "baseline";
    if (baseline != null) {
      List<Double> base = seconds.get(baseline);
      List<Double> ratios = new ArrayList<>();
      for (int i = 0; i < values.size(); i++) {
        ratios.add(values.get(i) / base.get(i));
      }
      Spread spread = Spread.of(ratios);
      double limit = goal.isEmpty() ? Double.NaN : Double.parseDouble(goal.substring(2));
      BenchmarkResults.ratio("redis", name + " ÷ " + baseline, ratios, limit);
      ratio = spread.format("%.2f");
      if (!goal.isEmpty()) {
        goal = goal + (spread.median() <= limit ? ": met" : ": **not met**");
      }
    }
    System.out.printf(
        Locale.ROOT,
        "| %s | %s | %s | %s |%n",
        name,
        Spread.of(values).format("%.2f"),
        ratio,
        goal);
  }

  private void cpuRow(String name, String baseline) {
    List<Double> values = cpu.get(name);
    String ratio = name.startsWith("part:") ? "" : "baseline";
    if (baseline != null) {
      List<Double> base = cpu.get(baseline);
      List<Double> ratios = new ArrayList<>();
      for (int i = 0; i < values.size(); i++) {
        ratios.add(values.get(i) / base.get(i));
      }
      BenchmarkResults.ratio("redis", "CPU: " + name + " ÷ " + baseline, ratios, Double.NaN);
      ratio = Spread.of(ratios).format("%.2f");
    }
    System.out.printf(
        Locale.ROOT, "| %s | %s | %s |%n", name, Spread.of(values).format("%.2f"), ratio);
  }
}
