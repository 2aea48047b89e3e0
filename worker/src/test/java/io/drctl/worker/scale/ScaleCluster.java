package io.drctl.worker.scale;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.drctl.compiler.CompileResult;
import io.drctl.compiler.RunbookCompiler;
import io.drctl.plan.Plan;
import io.drctl.testing.FreePorts;
import io.drctl.testing.JavaProcess;
import io.drctl.worker.dev.CliDevServer;
import io.drctl.worker.dev.DevServerOptions;
import io.drctl.worker.report.HistoryReport;
import io.drctl.worker.report.IncidentHistory;
import io.drctl.worker.report.IncidentRecord;
import io.drctl.worker.temporal.IncidentLaunch;
import io.drctl.workflow.IncidentReport;
import io.drctl.workflow.StartRequest;
import io.grpc.StatusRuntimeException;
import io.temporal.api.workflowservice.v1.DescribeNamespaceRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowServiceException;
import io.temporal.client.WorkflowStub;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One real Temporal dev server (the Temporal CLI's, SQLite file in {@code dir}) and several {@code
 * drctl worker} JVMs on one task queue, all serving {@link #RUNBOOK}: the scale tests' cluster on
 * one machine. The server can be stopped and started again on the same port and file; a worker can
 * be killed with SIGKILL. {@link #close()} stops everything it started.
 *
 * <p>Ports come from a block of {@value #BLOCK} that each test names ({@link #OUT_PORTS}, {@link
 * #RESTART_PORTS}), below the kernel's ephemeral range, so that nothing takes the server's port
 * while it is down, not even the other scale test's server if both run at once.
 */
final class ScaleCluster implements AutoCloseable {
  static final Path RUNBOOK =
      Path.of("..", "runbooks", "examples", "side-effects.json").toAbsolutePath().normalize();
  static final String INCIDENT_TYPE = "side_effects";

  /** Ports of one test's cluster: {@code first} to {@code first + BLOCK - 1}. */
  static final int BLOCK = 50;

  /** ScaleOutTest's block. */
  static final int OUT_PORTS = 30400;

  /** ServerRestartTest's block. */
  static final int RESTART_PORTS = 30450;

  private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);
  private static final int START_ATTEMPTS = 3;

  /** drctl worker's exit status when Temporal is unreachable or refusing. */
  private static final int UNREACHABLE = 3;

  private final Path dir;
  private final Path effects;
  private final String queue = "scale-" + UUID.randomUUID().toString().substring(0, 8);
  private final DevServerOptions serverOptions;
  private final Map<String, Process> workers = new LinkedHashMap<>();
  private final ExecutorService starters = Executors.newFixedThreadPool(4);
  private CliDevServer server;
  private WorkflowServiceStubs service;
  private WorkflowClient client;

  private ScaleCluster(Path dir, DevServerOptions serverOptions) {
    this.dir = dir;
    this.effects = dir.resolve("effects");
    this.serverOptions = serverOptions;
  }

  /**
   * Starts the dev server at {@code $DRCTL_TEMPORAL_CLI} with its files in {@code dir}; no worker
   * yet.
   */
  static ScaleCluster start(Path dir, int firstPort) throws Exception {
    int port = FreePorts.inRange(firstPort, firstPort + BLOCK);
    int uiPort = port;
    while (uiPort == port) {
      uiPort = FreePorts.inRange(firstPort, firstPort + BLOCK);
    }
    DevServerOptions options =
        new DevServerOptions(
            "127.0.0.1", port, uiPort, dir.resolve("temporal"), "default", READY_TIMEOUT);
    ScaleCluster cluster = new ScaleCluster(dir, options);
    try {
      cluster.startServer();
      cluster.service =
          WorkflowServiceStubs.newServiceStubs(
              WorkflowServiceStubsOptions.newBuilder()
                  .setTarget(options.host() + ":" + port)
                  .build());
      cluster.client = WorkflowClient.newInstance(cluster.service);
      return cluster;
    } catch (Exception | Error e) {
      cluster.close();
      throw e;
    }
  }

  /** Where the side-effect files go: {@code effects/INCIDENT_ID/STEP_ID}. */
  Path effects() {
    return effects;
  }

  /**
   * Starts the server (again) on the same port and SQLite file and waits until it serves the
   * namespace.
   */
  void startServer() {
    server = CliDevServer.launch(Path.of(System.getenv("DRCTL_TEMPORAL_CLI")), serverOptions);
    server.awaitPort();
    awaitNamespace();
  }

  /** SIGTERM to the server, and SIGKILL if it has not gone in 10 s; its SQLite file stays. */
  void stopServer() {
    server.close();
  }

  /**
   * Starts {@code drctl worker} named {@code name} in its own JVM and waits until it polls. On a
   * loaded machine its first call to the server can miss its deadline and it exits with status 3
   * (Temporal unreachable): it is started again, three times in all.
   */
  Process startWorker(String name) throws Exception {
    Path log = dir.resolve("worker-" + name + ".log");
    for (int attempt = 1; ; attempt++) {
      long logged = Files.exists(log) ? Files.size(log) : 0;
      Process worker =
          new ProcessBuilder(
                  JavaProcess.command(
                      List.of("-Xmx384m"),
                      System.getProperty("java.class.path"),
                      "io.drctl.worker.cli.Drctl",
                      "worker",
                      "--address",
                      serverOptions.host() + ":" + serverOptions.port(),
                      "--task-queue",
                      queue,
                      "--runbook",
                      RUNBOOK.toString()))
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
      workers.put(name, worker);
      long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
      while (!read(log).substring((int) logged).contains("drctl worker polling")) {
        if (!worker.isAlive() && worker.exitValue() == UNREACHABLE && attempt < START_ATTEMPTS) {
          break;
        }
        if (!worker.isAlive() || System.nanoTime() > deadline) {
          throw new AssertionError(
              "worker "
                  + name
                  + " did not start polling ("
                  + (worker.isAlive() ? "timed out" : "exited " + worker.exitValue())
                  + "): "
                  + read(log));
        }
        Thread.sleep(200);
      }
      if (worker.isAlive()) {
        return worker;
      }
    }
  }

  /**
   * Kills worker {@code name} with SIGKILL, as a crash would: no shutdown hook, nothing told to the
   * server.
   */
  void killWorker(String name) throws InterruptedException {
    Process worker = workers.get(name);
    worker.destroyForcibly();
    if (!worker.waitFor(30, TimeUnit.SECONDS)) {
      throw new AssertionError(
          "worker " + name + " (pid " + worker.pid() + ") did not die of SIGKILL");
    }
  }

  /** The process ids of the workers started so far, by name. */
  Map<String, Long> workerPids() {
    Map<String, Long> pids = new LinkedHashMap<>();
    workers.forEach((name, process) -> pids.put(name, process.pid()));
    return pids;
  }

  /**
   * Starts {@code count} incidents of {@link #INCIDENT_TYPE}, ids {@code PREFIX-0...}, a few at a
   * time.
   */
  List<WorkflowStub> startIncidents(String prefix, int count) throws Exception {
    CompileResult compiled =
        RunbookCompiler.standard()
            .compile(new RunbookCompiler.Source(RUNBOOK.toString(), Files.readString(RUNBOOK)));
    if (!compiled.errors().isEmpty()) {
      throw new AssertionError(RUNBOOK + ": " + compiled.errors());
    }
    Plan plan = compiled.runbook().plan(INCIDENT_TYPE).orElseThrow();
    StartRequest request =
        new StartRequest(
            plan,
            JsonNodeFactory.instance.objectNode().put("dir", effects.toString()),
            "scale-test",
            "many workers, one queue");
    List<Future<WorkflowStub>> started = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String id = prefix + "-" + i;
      started.add(
          starters.submit(
              () -> {
                WorkflowStub stub =
                    client.newUntypedWorkflowStub(
                        INCIDENT_TYPE, IncidentLaunch.options(request, id, queue).build());
                stub.start(IncidentLaunch.envelope(request));
                return stub;
              }));
    }
    List<WorkflowStub> stubs = new ArrayList<>();
    for (Future<WorkflowStub> stub : started) {
      stubs.add(stub.get(5, TimeUnit.MINUTES));
    }
    return stubs;
  }

  /**
   * Each incident's report, by workflow id, waiting up to {@code timeout} in all. A call the server
   * did not answer (it is down or restarting) is asked again.
   */
  Map<String, IncidentReport> reports(List<WorkflowStub> incidents, Duration timeout)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<String, IncidentReport> reports = new LinkedHashMap<>();
    for (WorkflowStub incident : incidents) {
      String id = incident.getOptions().orElseThrow().getWorkflowId();
      while (!reports.containsKey(id)) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError(
              reports.size()
                  + " of "
                  + incidents.size()
                  + " incidents ended within "
                  + timeout
                  + "; still waiting for "
                  + id
                  + "; logs in "
                  + dir);
        }
        try {
          reports.put(id, incident.getResult(left, TimeUnit.NANOSECONDS, IncidentReport.class));
        } catch (WorkflowServiceException | StatusRuntimeException e) {
          Thread.sleep(500); // the server is down or starting: ask again
        } catch (TimeoutException e) {
          // the deadline check above reports it
        }
      }
    }
    return reports;
  }

  /** What {@code drctl report ID} reports of each incident, from its history, by workflow id. */
  Map<String, IncidentRecord> records(Iterable<String> ids) {
    Map<String, IncidentRecord> records = new LinkedHashMap<>();
    for (String id : ids) {
      records.put(
          id,
          HistoryReport.build(
              id,
              IncidentHistory.fetch(service, serverOptions.namespace(), id, null),
              client.getOptions().getDataConverter(),
              System.currentTimeMillis()));
    }
    return records;
  }

  /** How many side-effect files exist, i.e. how many steps have run at least once. */
  long stepsRun() throws IOException {
    if (!Files.isDirectory(effects)) {
      return 0;
    }
    try (var files = Files.walk(effects)) {
      return files.filter(Files::isRegularFile).count();
    }
  }

  /** Waits until at least {@code steps} side-effect files exist, i.e. incidents are under way. */
  void awaitSteps(long steps, String what) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
    while (stepsRun() < steps) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "timed out waiting for "
                + what
                + ": "
                + stepsRun()
                + " of "
                + steps
                + "; logs in "
                + dir);
      }
      Thread.sleep(200);
    }
  }

  private void awaitNamespace() {
    WorkflowServiceStubs stubs =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder()
                .setTarget(serverOptions.host() + ":" + serverOptions.port())
                .build());
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    try {
      while (true) {
        try {
          stubs
              .blockingStub()
              .withDeadlineAfter(5, TimeUnit.SECONDS)
              .describeNamespace(
                  DescribeNamespaceRequest.newBuilder()
                      .setNamespace(serverOptions.namespace())
                      .build());
          return;
        } catch (StatusRuntimeException e) {
          if (System.nanoTime() > deadline) {
            throw new AssertionError(
                "the dev server did not serve namespace "
                    + serverOptions.namespace()
                    + ": "
                    + e
                    + "; "
                    + server.description());
          }
          sleep(250);
        }
      }
    } finally {
      stubs.shutdownNow();
    }
  }

  @Override
  public void close() throws Exception {
    starters.shutdownNow();
    for (Process worker : workers.values()) {
      worker.descendants().forEach(ProcessHandle::destroyForcibly);
      worker.destroyForcibly();
      worker.waitFor(10, TimeUnit.SECONDS);
    }
    if (service != null) {
      service.shutdownNow();
    }
    if (server != null) {
      server.close();
    }
  }

  static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
