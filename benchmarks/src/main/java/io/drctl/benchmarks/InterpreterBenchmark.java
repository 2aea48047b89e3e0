package io.drctl.benchmarks;

import com.sun.management.OperatingSystemMXBean;
import io.drctl.plan.Plan;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowStub;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The interpreter's cost against a hand-written Temporal workflow that calls the same no-op
 * activity with the same options, both on one server and one worker in the same run:
 *
 * <ol>
 *   <li>latency: one incident of {@code --steps} sequential steps at a time; wall time per incident
 *       and per step;
 *   <li>throughput: {@code --concurrent} incidents of {@code --concurrent-steps} steps started at
 *       once; incidents completed per second.
 * </ol>
 *
 * <p>Rounds alternate which contender goes first; warm-up rounds are not reported. Every figure is
 * a median over rounds with its range, and a ratio against the baseline of the same round.
 *
 * <p>Run: {@code benchmarks/run interpreter} (see benchmarks/INTERPRETER.md for options).
 */
public final class InterpreterBenchmark {
  private static final int STARTER_THREADS = 8;
  private static final OperatingSystemMXBean OS =
      (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private final Options options;
  private final BenchmarkServer server;
  private final BenchmarkWorker worker;
  private final String runId = UUID.randomUUID().toString().substring(0, 8);
  private final ExecutorService starters = Executors.newFixedThreadPool(STARTER_THREADS);
  private final Map<Contender, String> lastSequential = new EnumMap<>(Contender.class);

  private InterpreterBenchmark(Options options, BenchmarkServer server, BenchmarkWorker worker) {
    this.options = options;
    this.server = server;
    this.worker = worker;
  }

  /** Settings, from {@code --name value} pairs. */
  record Options(
      String server,
      Path databaseDirectory,
      int transferPollsPerSecond,
      boolean expressions,
      int steps,
      int sequentialIncidents,
      int warmupRounds,
      int rounds,
      int concurrent,
      int concurrentSteps,
      int throughputWarmupRounds,
      int throughputRounds,
      List<Contender> contenders,
      boolean latency,
      boolean throughput) {

    static Options parse(String[] args) {
      Map<String, String> given = new java.util.LinkedHashMap<>();
      for (int i = 0; i < args.length; i++) {
        if (!args[i].startsWith("--") || i + 1 == args.length) {
          throw new IllegalArgumentException("expected --name value pairs, got '" + args[i] + "'");
        }
        given.put(args[i].substring(2), args[++i]);
      }
      String figure = given.getOrDefault("figure", "both");
      if (!List.of("both", "latency", "throughput").contains(figure)) {
        throw new IllegalArgumentException(
            "--figure " + figure + ": expected both, latency or throughput");
      }
      String codec = given.getOrDefault("codec", "false");
      if (!List.of("true", "false").contains(codec)) {
        throw new IllegalArgumentException("--codec " + codec + ": expected true or false");
      }
      List<Contender> contenders =
          given.containsKey("only")
              ? List.of(Contender.parse(given.get("only")))
              : codec.equals("true")
                  ? List.of(Contender.INTERPRETED, Contender.INTERPRETED_ENCRYPTED)
                  : List.of(Contender.HAND_WRITTEN, Contender.INTERPRETED);
      Path tmpfs = Path.of("/dev/shm");
      Path databaseDirectory =
          given.containsKey("db-dir")
              ? Path.of(given.get("db-dir"))
              : Files.isDirectory(tmpfs) && Files.isWritable(tmpfs)
                  ? tmpfs
                  : Path.of(System.getProperty("java.io.tmpdir"));
      String expressions = given.getOrDefault("expressions", "false");
      if (!List.of("true", "false").contains(expressions)) {
        throw new IllegalArgumentException(
            "--expressions " + expressions + ": expected true or false");
      }
      Options options =
          new Options(
              given.getOrDefault("server", "auto"),
              databaseDirectory,
              number(given, "transfer-polls", 1000),
              Boolean.parseBoolean(expressions),
              number(given, "steps", 50),
              number(given, "incidents", 10),
              number(given, "warmup", 3),
              number(given, "rounds", 7),
              number(given, "concurrent", 200),
              number(given, "concurrent-steps", 10),
              number(given, "throughput-warmup", 1),
              number(given, "throughput-rounds", 6),
              contenders,
              !figure.equals("throughput"),
              !figure.equals("latency"));
      given
          .keySet()
          .removeAll(
              List.of(
                  "server",
                  "db-dir",
                  "transfer-polls",
                  "expressions",
                  "steps",
                  "incidents",
                  "warmup",
                  "rounds",
                  "concurrent",
                  "concurrent-steps",
                  "throughput-warmup",
                  "throughput-rounds",
                  "only",
                  "figure",
                  "codec"));
      if (!given.isEmpty()) {
        throw new IllegalArgumentException("unknown options: " + given.keySet());
      }
      return options;
    }

    private static int number(Map<String, String> given, String name, int fallback) {
      String text = given.get(name);
      int value;
      try {
        value = text == null ? fallback : Integer.parseInt(text);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--" + name + " " + text + ": not a whole number");
      }
      if (value < (name.contains("warmup") || name.equals("transfer-polls") ? 0 : 1)) {
        throw new IllegalArgumentException("--" + name + " " + text + ": too small");
      }
      return value;
    }
  }

  /**
   * One contender's round: the figure, and CPU per incident in this JVM, in its workflow threads
   * (workflow code), in its workflow task executors (the SDK's share), and in the server.
   */
  record Sample(
      double value,
      double jvmCpuMillis,
      double workflowCodeMillis,
      double workflowTaskMillis,
      double serverCpuMillis) {}

  public static void main(String[] args) throws Exception {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    System.out.println("# Interpreter benchmark\n");
    System.out.println(
        "- command: `benchmarks/run interpreter"
            + (args.length == 0 ? "" : " " + String.join(" ", args))
            + "`");
    System.out.println("- machine: " + machine());
    System.out.println("- load average before: " + loadAverage());
    try (BenchmarkServer server =
            BenchmarkServer.start(
                options.server(), options.databaseDirectory(), options.transferPollsPerSecond());
        BenchmarkWorker worker = BenchmarkWorker.start(server)) {
      System.out.println("- server: " + server.description());
      System.out.println(
          options.contenders().contains(Contender.INTERPRETED_ENCRYPTED)
              ? "- workers: two, default WorkerOptions, in the benchmark JVM with their clients; one plain, one whose data"
                  + " converter encrypts every payload (AES-256-GCM, as --codec-keys), each on a task queue of its own"
              : "- worker: one, default WorkerOptions, in the benchmark JVM with the client; task queue shared by both contenders");
      InterpreterBenchmark benchmark = new InterpreterBenchmark(options, server, worker);
      try {
        if (options.latency()) {
          benchmark.latency();
        }
        if (options.throughput()) {
          benchmark.throughput();
        }
        benchmark.histories();
      } finally {
        benchmark.starters.shutdownNow();
      }
    }
    System.out.println("\n- load average after: " + loadAverage());
  }

  private void latency() throws Exception {
    Plan plan = NoopRunbook.compile(options.steps(), options.expressions());
    Map<Contender, List<Sample>> samples =
        rounds(
            options.warmupRounds(),
            options.rounds(),
            (contender, tag) -> sequential(contender, plan, tag));
    int n = options.steps();
    System.out.printf(
        Locale.ROOT,
        "%n## Figure 1: interpreter overhead per step%n%n"
            + "One incident at a time of %d sequential `bench.noop` steps%s; %d incidents per contender per round, the round's"
            + " figure is their median; %d warm-up + %d measured rounds, alternating which contender goes first."
            + " Median over rounds (min–max).%n%n",
        n,
        variant(),
        options.sequentialIncidents(),
        options.warmupRounds(),
        options.rounds());
    List<Row> rows =
        new ArrayList<>(
            List.of(
                new Row("wall time per incident, ms", Sample::value, "%.1f"),
                new Row("wall time per step, ms", sample -> sample.value() / n, "%.2f")));
    rows.addAll(cpuRows());
    table("one incident of " + n + " steps" + variant(), samples, rows);
    if (samples.containsKey(Contender.HAND_WRITTEN) && samples.containsKey(Contender.INTERPRETED)) {
      List<Double> overhead = new ArrayList<>();
      List<Double> cpu = new ArrayList<>();
      List<Double> code = new ArrayList<>();
      List<Sample> hand = samples.get(Contender.HAND_WRITTEN);
      List<Sample> interpreted = samples.get(Contender.INTERPRETED);
      for (int r = 0; r < hand.size(); r++) {
        overhead.add((interpreted.get(r).value() - hand.get(r).value()) / n);
        cpu.add((interpreted.get(r).jvmCpuMillis() - hand.get(r).jvmCpuMillis()) / n);
        code.add(
            (interpreted.get(r).workflowCodeMillis()
                    + interpreted.get(r).workflowTaskMillis()
                    - hand.get(r).workflowCodeMillis()
                    - hand.get(r).workflowTaskMillis())
                / n);
      }
      System.out.printf(
          Locale.ROOT,
          "%nInterpreter overhead per step, (interpreted − hand-written) / %d, per round:%n"
              + "- wall time: %s ms%n- worker-JVM CPU: %s ms%n- workflow threads + workflow task executors CPU: %s ms%n",
          n,
          Spread.of(overhead).format("%.2f"),
          Spread.of(cpu).format("%.2f"),
          Spread.of(code).format("%.3f"));
    }
    printRounds(samples, "ms per incident", "%.1f");
  }

  private void throughput() throws Exception {
    Plan plan = NoopRunbook.compile(options.concurrentSteps(), options.expressions());
    Map<Contender, List<Sample>> samples =
        rounds(
            options.throughputWarmupRounds(),
            options.throughputRounds(),
            (contender, tag) -> concurrent(contender, plan, tag));
    System.out.printf(
        Locale.ROOT,
        "%n## Figure 2: throughput%n%n"
            + "%d incidents of %d sequential `bench.noop` steps%s started at once (%d starter threads); the round's figure is"
            + " incidents completed per second from the first start to the last completion; %d warm-up + %d measured"
            + " rounds, alternating. Median over rounds (min–max).%n%n",
        options.concurrent(),
        options.concurrentSteps(),
        variant(),
        STARTER_THREADS,
        options.throughputWarmupRounds(),
        options.throughputRounds());
    List<Row> rows =
        new ArrayList<>(List.of(new Row("incidents completed per second", Sample::value, "%.1f")));
    rows.addAll(cpuRows());
    table(
        options.concurrent()
            + " concurrent incidents of "
            + options.concurrentSteps()
            + " steps"
            + variant(),
        samples,
        rows);
    printRounds(samples, "incidents/s", "%.1f");
  }

  private String variant() {
    return options.expressions()
        ? " (each passing on `${{ steps.PREVIOUS.outcome }}`: one CEL template per step)"
        : "";
  }

  private interface Round {
    Sample run(Contender contender, String tag) throws Exception;
  }

  private Map<Contender, List<Sample>> rounds(int warmup, int measured, Round round)
      throws Exception {
    Map<Contender, List<Sample>> samples = new EnumMap<>(Contender.class);
    for (int r = -warmup; r < measured; r++) {
      List<Contender> order = new ArrayList<>(options.contenders());
      if (Math.floorMod(r, 2) == 1) {
        java.util.Collections.reverse(order);
      }
      for (Contender contender : order) {
        Sample sample = round.run(contender, (r < 0 ? "w" + (-r) : "r" + r));
        if (r >= 0) {
          samples.computeIfAbsent(contender, c -> new ArrayList<>()).add(sample);
        }
        System.err.printf(
            Locale.ROOT,
            "%s round %d %s: %.2f (per incident, ms of CPU: jvm %.1f, workflow code %.2f,"
                + " workflow tasks %.2f, server %.1f)%n",
            r < 0 ? "warm-up" : "measured",
            r,
            contender.label(),
            sample.value(),
            sample.jvmCpuMillis(),
            sample.workflowCodeMillis(),
            sample.workflowTaskMillis(),
            sample.serverCpuMillis());
      }
    }
    return samples;
  }

  /** Incidents one after another; the figure is the median wall time of one, in ms. */
  private Sample sequential(Contender contender, Plan plan, String tag) throws Exception {
    Meter meter = new Meter();
    List<Double> times = new ArrayList<>();
    String id = null;
    for (int i = 0; i < options.sequentialIncidents(); i++) {
      id = runId + "-" + contender.label() + "-seq-" + tag + "-" + i;
      long start = System.nanoTime();
      WorkflowStub stub =
          contender.start(worker.client(contender), worker.taskQueue(contender), id, plan);
      contender.finished(stub, plan).get(2, TimeUnit.MINUTES);
      times.add((System.nanoTime() - start) / 1e6);
    }
    lastSequential.put(contender, id);
    return meter.sample(
        Spread.of(times).median(), options.sequentialIncidents(), plan.steps().size());
  }

  /** Incidents all started at once; the figure is incidents completed per second. */
  private Sample concurrent(Contender contender, Plan plan, String tag) throws Exception {
    Meter meter = new Meter();
    long start = System.nanoTime();
    List<CompletableFuture<Void>> done = new ArrayList<>();
    for (int i = 0; i < options.concurrent(); i++) {
      String id = runId + "-" + contender.label() + "-par-" + tag + "-" + i;
      done.add(
          CompletableFuture.supplyAsync(
                  () ->
                      contender.start(
                          worker.client(contender), worker.taskQueue(contender), id, plan),
                  starters)
              .thenCompose(stub -> contender.finished(stub, plan)));
    }
    CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
    double seconds = (System.nanoTime() - start) / 1e9;
    return meter.sample(options.concurrent() / seconds, options.concurrent(), plan.steps().size());
  }

  /** CPU and activity calls across one contender's round. */
  private final class Meter {
    private final long calls = worker.activities.calls();
    private final long jvmCpu = OS.getProcessCpuTime();
    private final ThreadCpu workflowCode = new ThreadCpu(ThreadCpu.WORKFLOW_CODE);
    private final ThreadCpu workflowTasks = new ThreadCpu(ThreadCpu.WORKFLOW_TASKS);
    private final OptionalLong serverCpu = server.cpuNanos();

    Sample sample(double value, int incidents, int steps) {
      long ran = worker.activities.calls() - calls;
      if (ran != (long) incidents * steps) {
        throw new IllegalStateException(
            "expected " + incidents * steps + " no-op calls in the round, counted " + ran);
      }
      if (worker.activities.unexpected() > 0) {
        throw new IllegalStateException(
            worker.activities.unexpected() + " no-op calls had an unexpected input");
      }
      double jvm = (OS.getProcessCpuTime() - jvmCpu) / 1e6 / incidents;
      OptionalLong serverNow = server.cpuNanos();
      double serverMillis =
          serverCpu.isPresent() && serverNow.isPresent()
              ? (serverNow.getAsLong() - serverCpu.getAsLong()) / 1e6 / incidents
              : Double.NaN;
      return new Sample(
          value,
          jvm,
          workflowCode.millisSince() / incidents,
          workflowTasks.millisSince() / incidents,
          serverMillis);
    }
  }

  /** One line of a figure's table: what it shows and how to read it off a round's sample. */
  private record Row(
      String what, java.util.function.ToDoubleFunction<Sample> value, String format) {}

  private static void table(String figure, Map<Contender, List<Sample>> samples, List<Row> rows) {
    List<Contender> present = new ArrayList<>(samples.keySet());
    boolean both = present.size() == 2;
    System.out.println(
        "| | "
            + String.join(" | ", present.stream().map(Contender::label).toList())
            + (both
                ? " | ratio " + present.get(1).label() + " ÷ " + present.get(0).label() + " |"
                : " |"));
    System.out.println("|---|" + "---|".repeat(present.size() + (both ? 1 : 0)));
    for (Row row : rows) {
      if (samples.values().stream()
          .flatMap(List::stream)
          .anyMatch(sample -> Double.isNaN(row.value().applyAsDouble(sample)))) {
        continue;
      }
      row(figure, samples, present, row.what(), row.value(), row.format(), both);
    }
  }

  private static List<Row> cpuRows() {
    return List.of(
        new Row(
            "worker-JVM CPU per incident, ms (everything: client, worker, JIT, GC)",
            Sample::jvmCpuMillis,
            "%.1f"),
        new Row(
            "… of which workflow threads (workflow code), ms", Sample::workflowCodeMillis, "%.2f"),
        new Row("… of which workflow task executors (SDK), ms", Sample::workflowTaskMillis, "%.2f"),
        new Row("server CPU per incident, ms", Sample::serverCpuMillis, "%.1f"));
  }

  private static void row(
      String figure,
      Map<Contender, List<Sample>> samples,
      List<Contender> present,
      String what,
      java.util.function.ToDoubleFunction<Sample> value,
      String format,
      boolean both) {
    StringBuilder line = new StringBuilder("| " + what + " |");
    for (Contender contender : present) {
      line.append(' ')
          .append(
              Spread.of(samples.get(contender).stream().map(value::applyAsDouble).toList())
                  .format(format))
          .append(" |");
    }
    if (both) {
      List<Double> ratios = new ArrayList<>();
      List<Sample> baseline = samples.get(present.get(0));
      List<Sample> measured = samples.get(present.get(1));
      for (int r = 0; r < baseline.size(); r++) {
        ratios.add(value.applyAsDouble(measured.get(r)) / value.applyAsDouble(baseline.get(r)));
      }
      BenchmarkResults.ratio(
          "interpreter",
          figure + ": " + what + ", " + present.get(1).label() + " ÷ " + present.get(0).label(),
          ratios,
          Double.NaN);
      line.append(' ').append(Spread.of(ratios).format("%.2f")).append(" |");
    }
    System.out.println(line);
  }

  private static void printRounds(
      Map<Contender, List<Sample>> samples, String unit, String format) {
    System.out.println("\nEach measured round, " + unit + ":");
    samples.forEach(
        (contender, list) ->
            System.out.println(
                "- "
                    + contender.label()
                    + ": "
                    + String.join(
                        ", ",
                        list.stream()
                            .map(s -> String.format(Locale.ROOT, format, s.value()))
                            .toList())));
  }

  /**
   * What one incident of each contender left in history: the cost the server stores and replays.
   */
  private void histories() {
    if (lastSequential.isEmpty()) {
      return;
    }
    System.out.println("\n## History of one figure-1 incident\n");
    System.out.println(
        "| | events | workflow tasks | history bytes | start input bytes | result bytes |");
    System.out.println("|---|---|---|---|---|---|");
    lastSequential.forEach(
        (contender, id) -> {
          List<HistoryEvent> events =
              worker.client(contender).fetchHistory(id).getHistory().getEventsList();
          long tasks =
              events.stream()
                  .filter(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED)
                  .count();
          long bytes = events.stream().mapToLong(HistoryEvent::getSerializedSize).sum();
          long input =
              events
                  .get(0)
                  .getWorkflowExecutionStartedEventAttributes()
                  .getInput()
                  .getSerializedSize();
          HistoryEvent last = events.get(events.size() - 1);
          long result =
              last.hasWorkflowExecutionCompletedEventAttributes()
                  ? last.getWorkflowExecutionCompletedEventAttributes()
                      .getResult()
                      .getSerializedSize()
                  : -1;
          System.out.printf(
              Locale.ROOT,
              "| %s | %d | %d | %d | %d | %d |%n",
              contender.label(),
              events.size(),
              tasks,
              bytes,
              input,
              result);
        });
  }

  static String machine() {
    String model = "unknown CPU";
    try {
      model =
          Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
              .filter(l -> l.startsWith("model name"))
              .findFirst()
              .map(l -> l.substring(l.indexOf(':') + 1).strip())
              .orElse(model);
    } catch (IOException e) {
      model = "unknown CPU (" + e.getMessage() + ")";
    }
    return Runtime.getRuntime().availableProcessors()
        + " cores ("
        + model
        + "), "
        + Math.round(OS.getTotalMemorySize() / 1e9)
        + " GB, "
        + System.getProperty("os.name")
        + " "
        + System.getProperty("os.version")
        + ", Java "
        + System.getProperty("java.runtime.version")
        + ", max heap "
        + Runtime.getRuntime().maxMemory() / (1 << 20)
        + " MB";
  }

  static String loadAverage() {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return fields[0] + ", " + fields[1] + ", " + fields[2] + " (1, 5, 15 min)";
    } catch (IOException e) {
      return "unknown (" + e.getMessage() + ")";
    }
  }
}
