package io.drctl.benchmarks;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.drctl.compiler.CompileResult;
import io.drctl.compiler.RunbookCompiler;
import io.drctl.plan.Plan;
import io.drctl.store.local.LocalDirectories;
import io.drctl.worker.temporal.IncidentLaunch;
import io.drctl.workflow.IncidentReport;
import io.drctl.workflow.StartRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Throughput with 1, 2 and 3 {@code drctl worker} processes on one task queue of one server, on
 * this machine: {@code --incidents} incidents of the side-effect runbook (ten shell steps each,
 * {@code runbooks/examples/side-effects.json}) started at once from this JVM; the round's figure is
 * incidents completed per second from the first start to the last completion. The workers are
 * started and polling before the clock starts, and stopped after each round; each round has a task
 * queue of its own. Rounds rotate which worker count goes first.
 *
 * <p>Run: {@code benchmarks/run scale} (options {@code --incidents N}, {@code --rounds N}, {@code
 * --warmup N}, {@code --workers 1,2,3}, {@code --server auto|cli|java|HOST:PORT}).
 */
public final class ScaleBenchmark {
  private static final int STARTER_THREADS = 8;
  private static final String INCIDENT_TYPE = "side_effects";
  private static final long READY_TIMEOUT_MILLIS = 180_000;
  private static final int START_ATTEMPTS = 3;

  /** drctl worker's exit status when Temporal is unreachable or refusing. */
  private static final int UNREACHABLE = 3;

  /**
   * As the interpreter benchmark's default: the dev server's stock 20 reads a second delay every
   * task by ~40 ms.
   */
  private static final int TRANSFER_POLLS_PER_SECOND = 1000;

  /** Settings, from {@code --name value} pairs. */
  record Options(
      String server,
      Path runbook,
      Path dir,
      int incidents,
      int warmup,
      int rounds,
      List<Integer> workers) {
    static Options parse(String[] args) {
      Map<String, String> given = new LinkedHashMap<>();
      for (int i = 0; i < args.length; i += 2) {
        if (!args[i].startsWith("--")) {
          throw new IllegalArgumentException("expected --name value pairs, got '" + args[i] + "'");
        }
        given.put(args[i].substring(2), BenchmarkMain.value(args, i));
      }
      List<Integer> workers = new ArrayList<>();
      for (String count : given.getOrDefault("workers", "1,2,3").split(",")) {
        try {
          workers.add(Integer.parseInt(count.strip()));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(
              "--workers " + given.get("workers") + ": expected counts such as 1,2,3");
        }
      }
      if (workers.stream().anyMatch(count -> count < 1)) {
        throw new IllegalArgumentException(
            "--workers " + given.get("workers") + ": every count must be at least 1");
      }
      Options options =
          new Options(
              given.getOrDefault("server", "auto"),
              Path.of(given.getOrDefault("runbook", "runbooks/examples/side-effects.json")),
              Path.of(given.getOrDefault("dir", System.getProperty("java.io.tmpdir"))),
              number(given, "incidents", 300, 1),
              number(given, "warmup", 1, 0),
              number(given, "rounds", 3, 1),
              workers);
      given
          .keySet()
          .removeAll(
              List.of("server", "runbook", "dir", "incidents", "warmup", "rounds", "workers"));
      if (!given.isEmpty()) {
        throw new IllegalArgumentException("unknown options: " + given.keySet());
      }
      if (!Files.isRegularFile(options.runbook())) {
        throw new IllegalArgumentException(
            "--runbook " + options.runbook() + ": no such file (run from the repository root)");
      }
      return options;
    }

    private static int number(Map<String, String> given, String name, int fallback, int least) {
      String text = given.get(name);
      try {
        int value = text == null ? fallback : Integer.parseInt(text);
        if (value >= least) {
          return value;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new IllegalArgumentException(
          "--" + name + " " + text + ": expected a whole number of at least " + least);
    }
  }

  private final Options options;
  private final BenchmarkServer server;
  private final Plan plan;
  private final Path work;
  private final WorkflowServiceStubs service;
  private final WorkflowClient client;
  private final ExecutorService starters = Executors.newFixedThreadPool(STARTER_THREADS);
  private final String runId = UUID.randomUUID().toString().substring(0, 8);

  private ScaleBenchmark(Options options, BenchmarkServer server, Plan plan, Path work) {
    this.options = options;
    this.server = server;
    this.plan = plan;
    this.work = work;
    this.service =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget(server.target()).build());
    this.client = WorkflowClient.newInstance(service);
  }

  public static void main(String[] args) {
    BenchmarkMain.main("scale", args, Options::parse, options -> run(options, args));
  }

  private static void run(Options options, String[] args) throws Exception {
    CompileResult compiled =
        RunbookCompiler.standard()
            .compile(
                new RunbookCompiler.Source(
                    options.runbook().toString(), Files.readString(options.runbook())));
    if (!compiled.ok()) {
      throw new IllegalStateException(options.runbook() + " is invalid: " + compiled.errors());
    }
    Plan plan =
        compiled
            .runbook()
            .plan(INCIDENT_TYPE)
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        options.runbook() + " has no incident " + INCIDENT_TYPE));
    System.out.println("# Scale-out benchmark\n");
    System.out.println(
        "- command: `benchmarks/run scale"
            + (args.length == 0 ? "" : " " + String.join(" ", args))
            + "`");
    System.out.println("- machine: " + InterpreterBenchmark.machine());
    System.out.println("- load average before: " + InterpreterBenchmark.loadAverage());
    Path work = Files.createTempDirectory(options.dir(), "drctl-scale-bench");
    try (BenchmarkServer server =
        BenchmarkServer.start(options.server(), work, TRANSFER_POLLS_PER_SECOND)) {
      System.out.println("- server: " + server.description());
      System.out.println(
          "- workers: `drctl worker` JVMs (default options) on one task queue, each round a new queue");
      ScaleBenchmark benchmark = new ScaleBenchmark(options, server, plan, work);
      try {
        benchmark.report(benchmark.rounds());
      } finally {
        benchmark.starters.shutdownNow();
        benchmark.service.shutdownNow();
      }
    } finally {
      LocalDirectories.deleteRecursively(work);
    }
    System.out.println("\n- load average after: " + InterpreterBenchmark.loadAverage());
  }

  private Map<Integer, List<Double>> rounds() throws Exception {
    Map<Integer, List<Double>> figures = new LinkedHashMap<>();
    options.workers().forEach(count -> figures.put(count, new ArrayList<>()));
    for (int r = -options.warmup(); r < options.rounds(); r++) {
      List<Integer> order = new ArrayList<>(options.workers());
      java.util.Collections.rotate(order, Math.floorMod(r, order.size()));
      for (int count : order) {
        String tag = (r < 0 ? "w" + (-r) : "r" + r) + "-" + count;
        double perSecond = round(count, tag);
        if (r >= 0) {
          figures.get(count).add(perSecond);
        }
        System.err.printf(
            Locale.ROOT,
            "%s round %d, %d worker(s): %.2f incidents/s (load %s)%n",
            r < 0 ? "warm-up" : "measured",
            r,
            count,
            perSecond,
            InterpreterBenchmark.loadAverage());
      }
    }
    return figures;
  }

  /**
   * One round: {@code count} workers, {@code --incidents} incidents; incidents completed per
   * second.
   */
  private double round(int count, String tag) throws Exception {
    String queue = "scale-bench-" + runId + "-" + tag;
    Path effects = work.resolve("effects-" + tag);
    List<Process> workers = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        workers.add(startWorker(queue, work.resolve("worker-" + tag + "-" + i + ".log")));
      }
      StartRequest request =
          new StartRequest(
              plan,
              JsonNodeFactory.instance.objectNode().put("dir", effects.toString()),
              "scale-benchmark",
              "throughput with " + count + " worker(s)");
      long start = System.nanoTime();
      List<CompletableFuture<IncidentReport>> done = new ArrayList<>();
      for (int i = 0; i < options.incidents(); i++) {
        String id = queue + "-" + i;
        done.add(
            CompletableFuture.supplyAsync(
                    () -> {
                      WorkflowStub stub =
                          client.newUntypedWorkflowStub(
                              INCIDENT_TYPE, IncidentLaunch.options(request, id, queue).build());
                      stub.start(IncidentLaunch.envelope(request));
                      return stub;
                    },
                    starters)
                .thenCompose(stub -> stub.getResultAsync(IncidentReport.class)));
      }
      CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(30, TimeUnit.MINUTES);
      double seconds = (System.nanoTime() - start) / 1e9;
      check(done, effects);
      return options.incidents() / seconds;
    } finally {
      workers.forEach(ScaleBenchmark::stop);
      LocalDirectories.deleteRecursively(effects);
    }
  }

  /**
   * Every incident succeeded and each of its steps left a line, and one more only for an attempt
   * the report lists.
   */
  private void check(List<CompletableFuture<IncidentReport>> done, Path effects) throws Exception {
    for (CompletableFuture<IncidentReport> future : done) {
      IncidentReport report = future.get();
      if (!"succeeded".equals(report.outcome())) {
        throw new IllegalStateException(
            "incident "
                + report.incidentId()
                + " ended "
                + report.outcome()
                + ": "
                + report.failure());
      }
      for (IncidentReport.StepReport step : report.steps()) {
        Path file = effects.resolve(report.incidentId()).resolve(step.id());
        long lines = Files.exists(file) ? Files.readAllLines(file).size() : 0;
        if (lines < 1 || lines > step.attempts()) {
          throw new IllegalStateException(
              file + ": " + lines + " side effect(s) for " + step.attempts() + " attempt(s)");
        }
      }
    }
  }

  /**
   * Starts a worker and waits until it polls. On a loaded machine the worker's first call to the
   * server can miss its deadline, and the worker exits with status 3: that is tried twice more.
   */
  private Process startWorker(String queue, Path log) throws Exception {
    for (int attempt = 1; ; attempt++) {
      long logged = Files.exists(log) ? Files.size(log) : 0;
      Process worker =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  "io.drctl.worker.cli.Drctl",
                  "worker",
                  "--address",
                  server.target(),
                  "--task-queue",
                  queue,
                  "--runbook",
                  options.runbook().toString())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
      long deadline = System.currentTimeMillis() + READY_TIMEOUT_MILLIS;
      while (!Files.readString(log, StandardCharsets.UTF_8)
          .substring((int) logged)
          .contains("drctl worker polling")) {
        if (!worker.isAlive() && worker.exitValue() == UNREACHABLE && attempt < START_ATTEMPTS) {
          break;
        }
        if (!worker.isAlive() || System.currentTimeMillis() > deadline) {
          stop(worker);
          throw new IllegalStateException(
              "a drctl worker did not start polling: "
                  + Files.readString(log, StandardCharsets.UTF_8));
        }
        Thread.sleep(200);
      }
      if (worker.isAlive()) {
        return worker;
      }
    }
  }

  /** SIGTERM, then SIGKILL if it has not exited after 30 s. */
  private static void stop(Process worker) {
    worker.destroy();
    try {
      if (!worker.waitFor(30, TimeUnit.SECONDS)) {
        worker.destroyForcibly();
        worker.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      worker.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private void report(Map<Integer, List<Double>> figures) {
    System.out.printf(
        Locale.ROOT,
        "%n## Throughput by worker processes%n%n"
            + "%d incidents of %d `shell.exec` steps (each appends a line to a file of its own) started at once (%d starter"
            + " threads); the round's figure is incidents completed per second from the first start to the last completion;"
            + " %d warm-up + %d measured rounds, rotating which worker count goes first. Median over rounds (min–max).%n%n",
        options.incidents(),
        plan.steps().size(),
        STARTER_THREADS,
        options.warmup(),
        options.rounds());
    int baseline = options.workers().get(0);
    System.out.println(
        "| worker processes | incidents/s | ratio to "
            + baseline
            + " worker(s), per round | each round |");
    System.out.println("|---:|---:|---:|---|");
    List<Double> base = figures.get(baseline);
    figures.forEach(
        (count, values) -> {
          List<Double> ratios = new ArrayList<>();
          for (int r = 0; r < values.size(); r++) {
            ratios.add(values.get(r) / base.get(r));
          }
          System.out.printf(
              Locale.ROOT,
              "| %d | %s | %s | %s |%n",
              count,
              Spread.of(values).format("%.2f"),
              Spread.of(ratios).format("%.2f"),
              String.join(
                  ", ", values.stream().map(v -> String.format(Locale.ROOT, "%.2f", v)).toList()));
        });
  }
}
