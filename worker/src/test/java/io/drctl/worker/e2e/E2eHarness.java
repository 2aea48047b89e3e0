package io.drctl.worker.e2e;

import io.drctl.sandbox.SandboxLayout;
import io.drctl.worker.cli.Drctl;
import io.drctl.worker.dev.CliDevServer;
import io.drctl.worker.dev.DevServerOptions;
import io.drctl.workflow.IncidentReport;
import io.drctl.workflow.IncidentWorkflows;
import io.drctl.workflow.Progress;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * What the end-to-end tests share: a standalone Temporal server (the Temporal CLI's dev server
 * when {@code bin/setup temporal} installed it, else the Java test server in its own JVM), one
 * {@code drctl worker} in a separate JVM serving {@code runbooks/dr-runbook.json} with the
 * sandbox's secrets, the CLI run in this JVM as an operator runs it, and waits on an incident's
 * progress and report that fail with the incident's status and the worker's log.
 */
final class E2eHarness implements AutoCloseable {
  static final Path RUNBOOK = Path.of("..", "runbooks", "dr-runbook.json").toAbsolutePath().normalize();

  private final Path dir;
  private final String queue;
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private final List<Process> processes = new ArrayList<>();
  private String address;
  private WorkflowServiceStubs service;
  private WorkflowClient client;

  private E2eHarness(Path dir, String queue) {
    this.dir = dir;
    this.queue = queue;
  }

  /**
   * Starts the server and a worker on {@code queue} serving {@link #RUNBOOK} with {@code targets};
   * the worker's environment holds the sandbox's passwords plus {@code environment}. Logs go to
   * {@code dir}.
   */
  static E2eHarness start(Path dir, String queue, Path targets, Map<String, String> environment) throws Exception {
    E2eHarness harness = new E2eHarness(dir, queue);
    try {
      int port = freePort();
      harness.address = "127.0.0.1:" + port;
      harness.startServer(port);
      harness.service = WorkflowServiceStubs.newServiceStubs(
          WorkflowServiceStubsOptions.newBuilder().setTarget(harness.address).build());
      harness.client = WorkflowClient.newInstance(harness.service);
      harness.startWorker(targets, environment);
      return harness;
    } catch (Exception | Error e) {
      harness.close();
      throw e;
    }
  }

  WorkflowClient client() {
    return client;
  }

  @Override
  public void close() throws Exception {
    for (Process process : processes) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
    if (service != null) {
      service.shutdownNow();
    }
    for (AutoCloseable closeable : closeables) {
      closeable.close();
    }
  }

  private void startServer(int port) throws Exception {
    Path cli = temporalCli();
    if (cli != null) {
      CliDevServer server = CliDevServer.launch(cli,
          new DevServerOptions("127.0.0.1", port, freePort(), dir.resolve("temporal"), "default", Duration.ofSeconds(60)));
      closeables.add(server);
      server.awaitPort();
      return;
    }
    processes.add(new ProcessBuilder(java(), "-cp", System.getProperty("java.class.path"),
        "io.temporal.testserver.TestServer", String.valueOf(port))
        .redirectErrorStream(true).redirectOutput(dir.resolve("server.log").toFile()).start());
    awaitTrue(() -> listening(port), Duration.ofSeconds(60), "the Temporal server on port " + port);
  }

  /** {@code drctl worker} in its own JVM, with the secrets the runbook's targets refer to. */
  private void startWorker(Path targets, Map<String, String> environment) throws Exception {
    Path log = workerLog();
    ProcessBuilder builder = new ProcessBuilder(java(), "-cp", System.getProperty("java.class.path"),
        "io.drctl.worker.cli.Drctl", "worker", "--address", address, "--task-queue", queue,
        "--runbook", RUNBOOK.toString(), "--targets", targets.toString())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PGPASSWORD", SandboxLayout.PASSWORD);
    env.put("REDIS_PASSWORD", SandboxLayout.REDIS_PASSWORD);
    env.putAll(environment);
    builder.environment().putAll(env);
    Process worker = builder.start();
    processes.add(worker);
    awaitTrue(() -> {
      if (!worker.isAlive()) {
        throw new AssertionError("the worker exited: " + Files.readString(log));
      }
      return Files.readString(log).contains("drctl worker polling");
    }, Duration.ofSeconds(60), "the worker to poll");
  }

  private Path workerLog() {
    return dir.resolve("worker.log");
  }

  /** The CLI in this JVM, as an operator runs it, against this server and queue; its output captured. */
  Cli cli(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--address", address, "--task-queue", queue));
    return run(all);
  }

  /** The CLI for commands that talk to no Temporal server (e.g. {@code drctl wal}). */
  static Cli local(String... args) {
    return run(List.of(args));
  }

  private static Cli run(List<String> all) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    synchronized (E2eHarness.class) {
      PrintStream oldOut = System.out;
      PrintStream oldErr = System.err;
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      try {
        code = Drctl.run(all.toArray(String[]::new));
      } finally {
        System.setOut(oldOut);
        System.setErr(oldErr);
      }
    }
    return new Cli(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** A CLI run: exit code and output. */
  record Cli(int exitCode, String out, String err) {
    String text() {
      return out + err;
    }
  }

  /** Queries the incident's progress until {@code condition} holds (150 s at most). */
  Progress awaitProgress(String id, Predicate<Progress> condition, String what) throws Exception {
    WorkflowStub stub = client.newUntypedWorkflowStub(id);
    long deadline = System.nanoTime() + Duration.ofSeconds(150).toNanos();
    while (System.nanoTime() < deadline) {
      Progress progress = stub.query(IncidentWorkflows.PROGRESS_QUERY, Progress.class);
      if (progress != null && condition.test(progress)) {
        return progress;
      }
      Thread.sleep(300);
    }
    throw new AssertionError("timed out waiting for " + what + "\n" + diagnostics(id));
  }

  /** The incident's report, or a failure showing where it stands and what the worker said. */
  IncidentReport result(String id, Duration timeout) throws Exception {
    try {
      return client.newUntypedWorkflowStub(id).getResult(timeout.toSeconds(), TimeUnit.SECONDS, IncidentReport.class);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("incident " + id + " did not end within " + timeout.toSeconds() + " s\n" + diagnostics(id));
    }
  }

  String diagnostics(String id) throws IOException {
    List<String> log = Files.readAllLines(workerLog());
    return "drctl status:\n" + cli("status", id).text() + "\nworker log (last 40 lines):\n"
        + String.join("\n", log.subList(Math.max(0, log.size() - 40), log.size()));
  }

  static Progress.StepProgress step(Progress progress, String id) {
    return progress.steps().stream().filter(step -> step.id().equals(id)).findFirst()
        .orElseThrow(() -> new AssertionError("no step " + id + " in " + progress));
  }

  static IncidentReport.StepReport stepReport(IncidentReport report, String id) {
    return report.steps().stream().filter(step -> step.id().equals(id)).findFirst()
        .orElseThrow(() -> new AssertionError("no step " + id + " in " + report));
  }

  /** The steps that ran, in the order they started. */
  static List<String> ranInOrder(IncidentReport report) {
    return report.steps().stream().filter(step -> step.startedAt() != null)
        .sorted(Comparator.comparing(IncidentReport.StepReport::startedAt))
        .map(IncidentReport.StepReport::id).toList();
  }

  /** Outcome, failure and one line per step, for assertion messages. */
  static String describe(IncidentReport report) {
    StringBuilder text = new StringBuilder(report.outcome() + " " + report.failure());
    report.steps().forEach(step -> text.append("\n  ").append(step.id()).append(' ').append(step.status())
        .append(' ').append(step.attempts()).append(step.error() == null ? "" : " " + step.error()));
    return text.toString();
  }

  /** The Temporal CLI the harness installed, if any (DRCTL_TEMPORAL_CLI or the cache). */
  private static Path temporalCli() {
    String configured = System.getenv("DRCTL_TEMPORAL_CLI");
    Path candidate = configured != null && !configured.isBlank() ? Path.of(configured)
        : Path.of(System.getProperty("user.home"), ".cache", "drctl", "bin", "temporal");
    return Files.isExecutable(candidate) && !"test-server".equals(System.getenv("DRCTL_TEMPORAL")) ? candidate : null;
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static boolean listening(int port) {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Polls {@code condition} every 300 ms until it is true; an AssertionError from it ends the wait at once. */
  static void awaitTrue(Callable<Boolean> condition, Duration timeout, String what) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    Exception last = null;
    while (System.nanoTime() < deadline) {
      try {
        if (condition.call()) {
          return;
        }
      } catch (AssertionError e) {
        throw e;
      } catch (Exception e) {
        last = e;
      }
      Thread.sleep(300);
    }
    throw new AssertionError("timed out waiting for " + what + (last == null ? "" : ": " + last), last);
  }
}
