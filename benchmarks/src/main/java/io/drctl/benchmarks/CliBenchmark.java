package io.drctl.benchmarks;

import io.drctl.compiler.CompileResult;
import io.drctl.compiler.RunbookCompiler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The CLI as a user meets it, in two figures:
 *
 * <ol>
 *   <li>{@code bin/drctl validate runbooks/dr-runbook.json} as a whole process (the launcher
 *       script, its AppCDS archive, the JVM, the compile) against {@code java -jar drctl.jar
 *       --version}, the least a run of the jar costs; {@code --rounds} interleaved pairs, the ratio
 *       of each pair, and of the minimums and medians. Goal ≤ 3×.
 *   <li>compiling a generated 2,000-step runbook in this JVM: the first compile (cold JVM, cold
 *       caches), then per round a runbook of new step ids (warm JVM; no expression seen before, the
 *       normalised shapes cached) and the same runbook again (every checked AST cached). Goal ≤ 100
 *       ms.
 * </ol>
 *
 * <p>Options: {@code --rounds N} (default 10), {@code --figure both|compile|process}. Run from the
 * repository root, after {@code bin/drctl --version} has built the jar and its archive.
 */
public final class CliBenchmark {
  private static final double PROCESS_GOAL = 3.0;
  private static final double COMPILE_GOAL_MS = 100;

  private CliBenchmark() {}

  record Options(int rounds, String figure) {}

  public static void main(String[] args) {
    BenchmarkMain.main("CLI", args, CliBenchmark::parse, CliBenchmark::run);
  }

  static Options parse(String[] args) {
    int rounds = 10;
    String figure = "both";
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--rounds" -> rounds = BenchmarkMain.positive(args, ++i);
        case "--figure" -> figure = BenchmarkMain.value(args, i++);
        default ->
            throw new IllegalArgumentException(
                "unknown option "
                    + args[i]
                    + "; options: --rounds N, --figure both|compile|process");
      }
    }
    if (!List.of("both", "compile", "process").contains(figure)) {
      throw new IllegalArgumentException(
          "--figure " + figure + ": expected both, compile or process");
    }
    return new Options(rounds, figure);
  }

  static void run(Options options) throws Exception {
    Path jar = Path.of("worker/target/drctl.jar");
    Path launcher = Path.of("bin/drctl");
    if (!Files.isRegularFile(jar) || !Files.isExecutable(launcher)) {
      throw new IllegalStateException(
          "run from the repository root after bin/drctl --version (no " + jar + ")");
    }
    System.out.printf(
        Locale.ROOT,
        "# CLI benchmark: %d rounds, load average %s%n",
        options.rounds(),
        BenchmarkResults.loadAverage());
    if (!options.figure().equals("process")) {
      compile(options.rounds());
    }
    if (!options.figure().equals("compile")) {
      processes(options.rounds(), jar, launcher);
    }
    System.out.println("load average at end: " + BenchmarkResults.loadAverage());
  }

  /** Wall and compiling-thread CPU milliseconds of one compile. */
  private record Timing(double wallMs, double cpuMs) {}

  private static void compile(int rounds) {
    RunbookCompiler compiler = RunbookCompiler.standard();
    Timing first = timed(compiler, GeneratedRunbook.of(2000, "first"));
    List<Timing> fresh = new ArrayList<>();
    List<Timing> again = new ArrayList<>();
    String text = GeneratedRunbook.of(2000, "r");
    timed(compiler, text);
    for (int round = 0; round < rounds; round++) {
      fresh.add(timed(compiler, GeneratedRunbook.of(2000, "n" + round + "_")));
      again.add(timed(compiler, text));
    }
    System.out.printf(
        Locale.ROOT,
        "%n| compile of a 2,000-step runbook (goal ≤ %.0f ms) | wall ms, median (min–max) | CPU ms of the"
            + " compiling thread, median (min–max) |%n|---|---|---|%n",
        COMPILE_GOAL_MS);
    System.out.printf(
        Locale.ROOT,
        "| first compile in a new JVM | %.0f | %.0f |%n",
        first.wallMs(),
        first.cpuMs());
    row("new step ids, warm JVM", fresh);
    row("same runbook again", again);
    BenchmarkResults.ratio(
        "cli", "2,000-step compile, new step ids, warm JVM, wall ms", wall(fresh), COMPILE_GOAL_MS);
    BenchmarkResults.ratio(
        "cli",
        "2,000-step compile, new step ids, warm JVM, thread CPU ms",
        cpu(fresh),
        COMPILE_GOAL_MS);
    BenchmarkResults.ratio(
        "cli", "2,000-step compile, same runbook again, wall ms", wall(again), COMPILE_GOAL_MS);
    BenchmarkResults.ratio(
        "cli",
        "2,000-step compile, same runbook again, thread CPU ms",
        cpu(again),
        COMPILE_GOAL_MS);
  }

  private static void row(String what, List<Timing> timings) {
    Spread wall = Spread.of(wall(timings));
    Spread cpu = Spread.of(cpu(timings));
    System.out.printf(
        Locale.ROOT,
        "| %s | %s: %s | %s: %s |%n",
        what,
        wall.format("%.0f"),
        verdict(wall.median(), COMPILE_GOAL_MS),
        cpu.format("%.0f"),
        verdict(cpu.median(), COMPILE_GOAL_MS));
  }

  private static List<Double> wall(List<Timing> timings) {
    return timings.stream().map(Timing::wallMs).toList();
  }

  private static List<Double> cpu(List<Timing> timings) {
    return timings.stream().map(Timing::cpuMs).toList();
  }

  private static Timing timed(RunbookCompiler compiler, String text) {
    java.lang.management.ThreadMXBean threads =
        java.lang.management.ManagementFactory.getThreadMXBean();
    long cpu = threads.getCurrentThreadCpuTime();
    long start = System.nanoTime();
    CompileResult result = compiler.compile(new RunbookCompiler.Source("generated.json", text));
    Timing timing =
        new Timing(
            (System.nanoTime() - start) / 1e6, (threads.getCurrentThreadCpuTime() - cpu) / 1e6);
    if (!result.ok()) {
      throw new IllegalStateException("the generated runbook is invalid: " + result.errors());
    }
    return timing;
  }

  private static void processes(int rounds, Path jar, Path launcher)
      throws IOException, InterruptedException {
    List<String> version = List.of("java", "-jar", jar.toString(), "--version");
    List<String> validate = List.of(launcher.toString(), "validate", "runbooks/dr-runbook.json");
    time(validate); // builds the AppCDS archive if the jar is new; not measured
    List<Double> baseline = new ArrayList<>();
    List<Double> ours = new ArrayList<>();
    List<Double> ratios = new ArrayList<>();
    for (int round = 0; round < rounds; round++) {
      double a;
      double b;
      if (round % 2 == 0) {
        a = time(version);
        b = time(validate);
      } else {
        b = time(validate);
        a = time(version);
      }
      baseline.add(a);
      ours.add(b);
      ratios.add(b / a);
    }
    Spread base = Spread.of(baseline);
    Spread validated = Spread.of(ours);
    System.out.printf(Locale.ROOT, "%n| process, ms | min | median (min–max) |%n|---|---:|---|%n");
    System.out.printf(
        Locale.ROOT,
        "| java -jar drctl.jar --version | %.0f | %s |%n",
        base.min(),
        base.format("%.0f"));
    System.out.printf(
        Locale.ROOT,
        "| bin/drctl validate runbooks/dr-runbook.json | %.0f | %s |%n",
        validated.min(),
        validated.format("%.0f"));
    System.out.printf(
        Locale.ROOT,
        "| ratio of the minimums | %.2f | %s |%n",
        validated.min() / base.min(),
        verdict(validated.min() / base.min(), PROCESS_GOAL));
    System.out.printf(
        Locale.ROOT,
        "| ratio of the medians | %.2f | %s |%n",
        validated.median() / base.median(),
        verdict(validated.median() / base.median(), PROCESS_GOAL));
    System.out.printf(
        Locale.ROOT,
        "| ratio per pair | %s | %s |%n",
        Spread.of(ratios).format("%.2f"),
        String.join(
            ", ", ratios.stream().map(r -> String.format(Locale.ROOT, "%.2f", r)).toList()));
    BenchmarkResults.ratio(
        "cli", "validate process ÷ --version process, per pair", ratios, PROCESS_GOAL);
  }

  private static String verdict(double value, double goal) {
    return value <= goal ? "met" : "**not met**";
  }

  private static double time(List<String> command) throws IOException, InterruptedException {
    long start = System.nanoTime();
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    int exit = process.waitFor();
    double ms = (System.nanoTime() - start) / 1e6;
    if (exit != 0) {
      throw new IllegalStateException(String.join(" ", command) + " exited with " + exit);
    }
    return ms;
  }
}
