package io.drctl.worker.e2e;

import static io.drctl.testing.Await.awaitTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.DockerClient;
import io.drctl.interpreter.Progress;
import io.drctl.sandbox.Sandbox;
import io.drctl.sandbox.SandboxLayout;
import io.drctl.sandbox.SandboxTargets;
import io.drctl.testing.FreePorts;
import io.drctl.testing.JavaProcess;
import io.drctl.testing.ThreadOutput;
import io.drctl.worker.cli.Drctl;
import io.drctl.worker.dev.TemporalServerProcess;
import io.drctl.worker.drill.DrillRunbook;
import io.drctl.workflow.IncidentReport;
import io.drctl.workflow.IncidentWorkflows;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.ActivityTaskStartedEventAttributes;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * What the end-to-end tests share: a standalone Temporal server (the Temporal CLI's dev server when
 * {@code bin/setup temporal} installed it, else the Java test server in its own JVM), one {@code
 * drctl worker} in a separate JVM serving {@code runbooks/dr-runbook.json} with the sandbox's
 * secrets, the CLI run in this JVM as an operator runs it, and waits on an incident's progress and
 * report that fail with the incident's status and the worker's log.
 */
final class E2eHarness implements AutoCloseable {
  static final Path RUNBOOK =
      Path.of("..", "runbooks", "dr-runbook.json").toAbsolutePath().normalize();
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Path dir;
  private final String queue;
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private final List<Process> processes = new ArrayList<>();
  private Path targets;
  private Map<String, String> environment;
  private TemporalServerProcess server;
  private Process worker;
  private String workerClasspath;
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
  static E2eHarness start(Path dir, String queue, Path targets, Map<String, String> environment)
      throws Exception {
    // Builds the CLI's command tree now, loading its classes while the project's jars are as this
    // JVM found them: other builds on the machine may reinstall them during a long test.
    local("--version");
    // Started again, on new ports, when the server could not bind one of its ports: also one it
    // bound only after its frontend answered, so that it died while the worker connected.
    return FreePorts.retryingWhenTaken(() -> startOnce(dir, queue, targets, environment));
  }

  private static E2eHarness startOnce(
      Path dir, String queue, Path targets, Map<String, String> environment) throws Exception {
    E2eHarness harness = new E2eHarness(dir, queue);
    try {
      int port = FreePorts.any();
      harness.server = TemporalServerProcess.start(port, dir);
      harness.closeables.add(harness.server);
      harness.address = "127.0.0.1:" + port;
      harness.service =
          WorkflowServiceStubs.newServiceStubs(
              WorkflowServiceStubsOptions.newBuilder().setTarget(harness.address).build());
      harness.client = WorkflowClient.newInstance(harness.service);
      harness.targets = targets;
      harness.environment = Map.copyOf(environment);
      harness.startWorker();
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

  /** The running worker JVM's process id. */
  long workerPid() {
    return worker.pid();
  }

  /**
   * Kills the worker JVM with SIGKILL, as a crash or the OOM killer would: no shutdown hook runs,
   * the server is not told, and the JVM's children (e.g. a pg_restore) are not touched: they are
   * orphaned and go on until they end or fail on their own.
   *
   * @return the killed worker's descendants as they were just before the kill
   */
  List<ProcessHandle> killWorker() throws InterruptedException {
    List<ProcessHandle> descendants = worker.descendants().toList();
    worker.destroyForcibly(); // SIGKILL on Linux, for this process only
    if (!worker.waitFor(10, TimeUnit.SECONDS)) {
      throw new AssertionError("worker " + worker.pid() + " did not die of SIGKILL within 10 s");
    }
    return descendants;
  }

  /** Starts a new worker JVM after {@link #killWorker()}; its log is appended to the same file. */
  void startAnotherWorker() throws Exception {
    if (worker.isAlive()) {
      throw new IllegalStateException("worker " + worker.pid() + " is still running");
    }
    startWorker();
  }

  /**
   * {@code drctl COMMAND} in a JVM of its own, for this harness's server, task queue, runbook and
   * targets, then {@code more}.
   */
  private List<String> drctl(String command, String... more) throws IOException {
    List<String> arguments =
        new ArrayList<>(
            List.of(
                command,
                "--address",
                address,
                "--task-queue",
                queue,
                "--runbook",
                RUNBOOK.toString(),
                "--targets",
                targets.toString()));
    arguments.addAll(List.of(more));
    return JavaProcess.command(
        workerClasspath(), "io.drctl.worker.cli.Drctl", arguments.toArray(String[]::new));
  }

  /** {@code drctl worker} in its own JVM, with the secrets the runbook's targets refer to. */
  private void startWorker() throws Exception {
    Path log = workerLog();
    long logged = Files.exists(log) ? Files.size(log) : 0;
    ProcessBuilder builder =
        new ProcessBuilder(drctl("worker"))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PGPASSWORD", SandboxLayout.PASSWORD);
    env.put("REDIS_PASSWORD", SandboxLayout.REDIS_PASSWORD);
    env.put("DNS_WEBHOOK_TOKEN", SandboxLayout.REGISTRY_TOKEN);
    env.putAll(environment);
    builder.environment().putAll(env);
    Process started = builder.start();
    worker = started;
    processes.add(started);
    try {
      awaitTrue(
          () -> {
            byte[] bytes = Files.readAllBytes(log);
            String output =
                new String(
                    bytes, (int) logged, bytes.length - (int) logged, StandardCharsets.UTF_8);
            if (!started.isAlive()) {
              throw new AssertionError("the worker exited: " + output);
            }
            return output.contains("drctl worker polling");
          },
          Duration.ofSeconds(60),
          "the worker to poll");
    } catch (AssertionError workerFailed) {
      Optional<String> serverGone = server.exited();
      if (serverGone.isPresent()) {
        throw new IllegalStateException(
            "the Temporal server ended while the worker started: " + serverGone.get(),
            workerFailed);
      }
      throw workerFailed;
    }
  }

  /**
   * {@code drctl receiver} in its own JVM, as an operator runs it beside the worker: the runbook
   * and {@code targets} the worker serves, on loopback {@code port}, the bearer token from the
   * environment. Returns once it listens; {@link #close()} stops it.
   */
  Process startReceiver(int port, String token) throws Exception {
    Path log = dir.resolve("receiver.log");
    ProcessBuilder builder =
        new ProcessBuilder(
                drctl(
                    "receiver",
                    "--receiver-host",
                    "127.0.0.1",
                    "--receiver-port",
                    String.valueOf(port),
                    "--receiver-token",
                    "env:ALERT_TOKEN"))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().put("ALERT_TOKEN", token);
    Process started = builder.start();
    processes.add(started);
    awaitTrue(
        () -> {
          String output = Files.exists(log) ? Files.readString(log) : "";
          if (!started.isAlive()) {
            throw new AssertionError("the receiver exited: " + output);
          }
          return output.contains("drctl receiver on http://127.0.0.1:" + port);
        },
        Duration.ofSeconds(60),
        "the receiver to listen");
    return started;
  }

  /**
   * This JVM's class path with the project's own entries (class directories and drctl jars, which
   * other builds on the machine may rewrite at any time) copied once into {@code dir}, so that
   * every worker JVM of the test, also one started minutes later, loads the same classes.
   */
  private String workerClasspath() throws IOException {
    if (workerClasspath == null) {
      List<String> entries = new ArrayList<>();
      int copied = 0;
      for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
        Path path = Path.of(entry);
        boolean own = Files.isDirectory(path) || path.getFileName().toString().startsWith("drctl-");
        if (own && Files.exists(path)) {
          Path copy = dir.resolve("worker-classpath").resolve(copied++ + "-" + path.getFileName());
          copyTree(path, copy);
          entries.add(copy.toString());
        } else {
          entries.add(entry);
        }
      }
      workerClasspath = String.join(File.pathSeparator, entries);
    }
    return workerClasspath;
  }

  private static void copyTree(Path source, Path target) throws IOException {
    Files.createDirectories(target.getParent());
    if (!Files.isDirectory(source)) {
      Files.copy(source, target);
      return;
    }
    try (Stream<Path> walk = Files.walk(source)) {
      for (Path path : (Iterable<Path>) walk::iterator) {
        Path copy = target.resolve(source.relativize(path).toString());
        if (Files.isDirectory(path)) {
          Files.createDirectories(copy);
        } else {
          Files.copy(path, copy);
        }
      }
    }
  }

  private Path workerLog() {
    return dir.resolve("worker.log");
  }

  /**
   * The CLI in this JVM, as an operator runs it, against this server and queue; its output
   * captured.
   */
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
    ThreadOutput.Captured<Integer> run =
        ThreadOutput.capture(() -> Drctl.run(all.toArray(String[]::new)));
    return new Cli(run.value(), run.out(), run.err());
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
      return client
          .newUntypedWorkflowStub(id)
          .getResult(timeout.toSeconds(), TimeUnit.SECONDS, IncidentReport.class);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError(
          "incident "
              + id
              + " did not end within "
              + timeout.toSeconds()
              + " s\n"
              + diagnostics(id));
    }
  }

  String diagnostics(String id) throws IOException {
    List<String> log = Files.readAllLines(workerLog());
    return "drctl status:\n"
        + cli("status", id).text()
        + "\nworker log (last 40 lines):\n"
        + String.join("\n", log.subList(Math.max(0, log.size() - 40), log.size()));
  }

  static Progress.StepProgress step(Progress progress, String id) {
    return progress.steps().stream()
        .filter(step -> step.id().equals(id))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no step " + id + " in " + progress));
  }

  static IncidentReport.StepReport stepReport(IncidentReport report, String id) {
    return report.steps().stream()
        .filter(step -> step.id().equals(id))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no step " + id + " in " + report));
  }

  /**
   * The last start of activity {@code activityType} in the incident's history: the workflow
   * schedules it once and Temporal retries it, so its attempt counts the workers' attempts, and its
   * last failure says what ended the attempt before.
   */
  ActivityTaskStartedEventAttributes lastAttempt(String id, String activityType) {
    List<HistoryEvent> events = client.fetchHistory(id).getHistory().getEventsList();
    List<Long> scheduled =
        events.stream()
            .filter(event -> event.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)
            .filter(
                event ->
                    event
                        .getActivityTaskScheduledEventAttributes()
                        .getActivityType()
                        .getName()
                        .equals(activityType))
            .map(HistoryEvent::getEventId)
            .toList();
    if (scheduled.size() != 1) {
      throw new AssertionError(
          activityType + " was scheduled " + scheduled.size() + " times, not once");
    }
    return events.stream()
        .filter(event -> event.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED)
        .map(HistoryEvent::getActivityTaskStartedEventAttributes)
        .filter(attributes -> attributes.getScheduledEventId() == scheduled.get(0))
        .reduce((first, second) -> second)
        .orElseThrow(() -> new AssertionError(activityType + " never started"));
  }

  /** The steps that ran, in the order they started. */
  static List<String> ranInOrder(IncidentReport report) {
    return report.steps().stream()
        .filter(step -> step.startedAt() != null)
        // As instants: Instant.toString drops a zero fraction, so "…:20Z" sorts after "…:20.050Z"
        // as text.
        .sorted(
            Comparator.comparing(
                (IncidentReport.StepReport step) -> java.time.Instant.parse(step.startedAt())))
        .map(IncidentReport.StepReport::id)
        .toList();
  }

  /** Outcome, failure and one line per step, for assertion messages. */
  static String describe(IncidentReport report) {
    StringBuilder text = new StringBuilder(report.outcome() + " " + report.failure());
    report
        .steps()
        .forEach(
            step ->
                text.append("\n  ")
                    .append(step.id())
                    .append(' ')
                    .append(step.status())
                    .append(' ')
                    .append(step.attempts())
                    .append(step.error() == null ? "" : " " + step.error()));
    return text.toString();
  }

  /**
   * Writes {@code file}: the sandbox's targets (its Slack and PagerDuty stand-ins included: the
   * worker needs SLACK_TOKEN and PAGERDUTY_ROUTING_KEY) plus {@code backups-local} at {@code store}
   * and {@code moreTargets}.
   */
  static Path writeTargets(
      SandboxLayout layout, Path store, Map<String, JsonNode> moreTargets, Path file)
      throws IOException {
    ObjectNode root = SandboxTargets.of(layout);
    ((ObjectNode) root.path("targets")).setAll(moreTargets);
    ObjectNode local = ((ObjectNode) root.path("targets")).putObject("backups-local");
    local.put("kind", "backupStore");
    local.put("description", "Local backup store of the e2e test.");
    local.put("store", "local");
    local.put("path", store.toString());
    Files.writeString(file, JSON.writeValueAsString(root));
    return file;
  }

  /**
   * {@link #RUNBOOK} to cut down to some incidents: without its schema reference, its schedules and
   * its alert routes, which name incidents a cut leaves out.
   */
  static ObjectNode runbookToCut() throws IOException {
    ObjectNode runbook = (ObjectNode) JSON.readTree(RUNBOOK.toFile());
    runbook.remove(List.of("$schema", "schedules", "alerts"));
    return runbook;
  }

  /**
   * Writes {@code file}: the runbook with only the incident {@code type}, cut to {@code steps};
   * started with {@code drctl start -r}, its plan is pinned, so the worker serving the full runbook
   * runs exactly these.
   */
  static Path writeCutRunbook(Path file, String type, List<String> steps) throws IOException {
    Files.writeString(file, JSON.writeValueAsString(DrillRunbook.cut(runbookToCut(), type, steps)));
    return file;
  }

  /**
   * Switches WAL on the sandbox's primary, waits until its archive volume holds the segment, and
   * pushes every archived file into {@code store}'s WAL archive with {@code drctl wal push
   * --system-id} (the primary's): a sandbox without a drctl jar archives into its volume only.
   * Returns the switched segment.
   */
  static String archiveIntoStore(Sandbox sandbox, DockerClient docker, Path store)
      throws Exception {
    String segment;
    String systemId;
    try (Connection connection = sandbox.primary();
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "select pg_walfile_name(pg_switch_wal()),"
                    + " (select system_identifier from pg_control_system())")) {
      rows.next();
      segment = rows.getString(1);
      systemId = rows.getString(2);
    }
    awaitTrue(
        () -> {
          try (Connection connection = sandbox.primary();
              Statement statement = connection.createStatement();
              ResultSet rows =
                  statement.executeQuery(
                      "select coalesce(last_archived_wal, '') from pg_stat_archiver")) {
            rows.next();
            return rows.getString(1).compareTo(segment) >= 0;
          }
        },
        Duration.ofSeconds(30),
        "segment " + segment + " to be archived");
    Path archive =
        Path.of(
            docker.inspectVolumeCmd(sandbox.layout().walArchiveVolume()).exec().getMountpoint());
    List<Path> files;
    try (Stream<Path> list = Files.list(archive)) {
      files =
          list.filter(file -> !file.getFileName().toString().endsWith(".part")).sorted().toList();
    }
    if (files.stream().noneMatch(file -> file.getFileName().toString().equals(segment))) {
      throw new AssertionError("segment " + segment + " is not in " + archive + ": " + files);
    }
    for (Path file : files) {
      // History files (.backup, .history) carry no system identifier of their own.
      Cli pushed =
          local(
              "wal", "push", "--store", store.toString(), "--system-id", systemId, file.toString());
      if (pushed.exitCode() != 0) {
        throw new AssertionError("drctl wal push " + file + ": " + pushed.text());
      }
    }
    return segment;
  }
}
