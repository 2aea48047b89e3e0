package io.drctl.worker.crash;

import static io.drctl.testing.Await.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.drctl.compiler.CompileResult;
import io.drctl.compiler.RunbookCompiler;
import io.drctl.plan.Plan;
import io.drctl.testing.FreePorts;
import io.drctl.testing.JavaProcess;
import io.drctl.worker.dev.TemporalServerProcess;
import io.drctl.workflow.IncidentReport;
import io.drctl.workflow.StartRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * The crash test: two separate worker JVMs against a standalone Temporal server (the real dev
 * server when the Temporal CLI is installed, the Java test server otherwise). Worker A is killed
 * with SIGKILL in the middle of a long shell.exec step; worker B finishes the incident. Each step
 * appends to a file when it runs, which proves that every step that had completed ran once.
 */
// Mostly waits on its worker JVMs: runs alongside the sequential classes (see
// junit-platform.properties).
@Execution(ExecutionMode.CONCURRENT)
class WorkerCrashTest {
  private static final String QUEUE = "crash-test";
  private final List<Process> processes = new ArrayList<>();
  private final List<AutoCloseable> closeables = new ArrayList<>();
  @TempDir Path dir;

  @AfterEach
  void stopEverything() throws Exception {
    for (AutoCloseable closeable : closeables) {
      closeable.close();
    }
    for (Process process : processes) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void anIncidentSurvivesItsWorkerBeingKilledMidStepAndCompletedStepsRunOnce() throws Exception {
    Path effects = dir.resolve("effects.log");
    Path runbook = dir.resolve("crash.json");
    Files.writeString(
        runbook,
        """
        {"version": "1.0.0", "incidents": [{
          "type": "crash_test", "title": "Crash test", "severity": "low", "objectives": {"rto": "10m"},
          "steps": [
            {"id": "first", "action": "shell.exec", "with": {"argv": ["sh", "-c", "echo first >> %1$s"]}},
            {"id": "long", "action": "shell.exec", "heartbeat": "3s", "timeout": "2m",
             "with": {"argv": ["sh", "-c", "echo long-start >> %1$s; sleep 12; echo long-end >> %1$s"]}},
            {"id": "last", "action": "shell.exec", "with": {"argv": ["sh", "-c", "echo last >> %1$s"]}}
          ]}]}
        """
            .formatted(effects));
    int port =
        FreePorts.retryingWhenTaken(
            () -> {
              int chosen = FreePorts.any();
              startServer(chosen);
              return chosen;
            });
    Process workerA = startWorker(port, runbook, "a");

    WorkflowServiceStubs service =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget("127.0.0.1:" + port).build());
    WorkflowClient client = WorkflowClient.newInstance(service);
    CompileResult compiled =
        RunbookCompiler.standard()
            .compile(new RunbookCompiler.Source("crash.json", Files.readString(runbook)));
    assertThat(compiled.errors()).isEmpty();
    Plan plan = compiled.runbook().plan("crash_test").orElseThrow();
    WorkflowStub incident =
        client.newUntypedWorkflowStub(
            "crash_test",
            WorkflowOptions.newBuilder()
                .setTaskQueue(QUEUE)
                .setWorkflowId("crash-" + port)
                .build());
    incident.start(
        Map.of(
            StartRequest.ENVELOPE,
            new StartRequest(
                plan, JsonNodeFactory.instance.objectNode(), "crash-test", "worker crash test")));

    awaitTrue(
        () -> read(effects).contains("long-start"),
        Duration.ofSeconds(60),
        "step 'long' to start on worker A");
    workerA.destroyForcibly(); // SIGKILL: no shutdown hook, no goodbye to the server
    assertThat(workerA.waitFor(10, TimeUnit.SECONDS)).isTrue();
    startWorker(port, runbook, "b");

    IncidentReport report = incident.getResult(120, TimeUnit.SECONDS, IncidentReport.class);
    assertThat(report.outcome()).isEqualTo("succeeded");
    List<String> lines = List.of(read(effects).split("\n"));
    assertThat(lines).filteredOn("first"::equals).hasSize(1);
    assertThat(lines).filteredOn("last"::equals).hasSize(1);
    assertThat(lines)
        .filteredOn("long-start"::equals)
        .hasSize(2); // interrupted on A, run again on B
    assertThat(lines).filteredOn("long-end"::equals).isNotEmpty();
    assertThat(lines.indexOf("last")).isGreaterThan(lines.lastIndexOf("long-start"));
    service.shutdownNow();
  }

  private void startServer(int port) throws Exception {
    // In a process of its own: killing a worker must not touch it.
    closeables.add(TemporalServerProcess.start(port, dir));
  }

  private Process startWorker(int port, Path runbook, String name) throws IOException {
    Process worker =
        new ProcessBuilder(
                JavaProcess.command(
                    System.getProperty("java.class.path"),
                    "io.drctl.worker.cli.Drctl",
                    "worker",
                    "--address",
                    "127.0.0.1:" + port,
                    "--task-queue",
                    QUEUE,
                    "--runbook",
                    runbook.toString()))
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("worker-" + name + ".log").toFile())
            .start();
    processes.add(worker);
    return worker;
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (IOException e) {
      return "";
    }
  }
}
