package io.drctl.worker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.drctl.testing.JavaProcess;
import io.drctl.worker.temporal.TemporalConnection;
import io.drctl.worker.temporal.TemporalSettings;
import io.drctl.workflow.IncidentReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code drctl worker} in its own JVM on the test's class path, standard output and error in one
 * file. The shell's {@code TEMPORAL_*} variables are not passed on, so only the test's options say
 * where it connects.
 */
final class WorkerProcess implements AutoCloseable {
  private final Process process;
  private final Path log;

  private WorkerProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /**
   * Starts {@code drctl worker ARGS} with {@code env} added, and waits until it polls (or died).
   */
  static WorkerProcess start(Path log, Map<String, String> env, String... args) throws IOException {
    List<String> command =
        new ArrayList<>(
            JavaProcess.command(
                System.getProperty("java.class.path"), "io.drctl.worker.cli.Drctl", "worker"));
    command.addAll(List.of(args));
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().keySet().removeIf(name -> name.startsWith("TEMPORAL_"));
    builder.environment().putAll(env);
    WorkerProcess worker = new WorkerProcess(builder.start(), log);
    ContractServers.await(
        () -> new CliRun(0, worker.log(), ""),
        out -> out.contains("drctl worker polling") || !worker.process.isAlive(),
        Duration.ofSeconds(60));
    return worker;
  }

  /** Everything it printed so far. */
  String log() {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Starts one incident of {@code runbook} on this worker's queue through {@code drctl start} and
   * waits up to {@code timeoutSeconds} for its report; a timeout fails with the worker's log.
   */
  IncidentReport runIncident(
      String address, String queue, Path runbook, String type, String id, long timeoutSeconds)
      throws Exception {
    CliRun started =
        CliRun.of(
            "start",
            type,
            "-r",
            runbook.toString(),
            "--address",
            address,
            "--task-queue",
            queue,
            "--id",
            id,
            "--by",
            "log-test");
    assertThat(started.exitCode()).as(started.err()).isZero();
    try (TemporalConnection client =
        TemporalConnection.open(TemporalSettings.plaintext(address, "default", queue))) {
      return client
          .client()
          .newUntypedWorkflowStub(id)
          .getResult(timeoutSeconds, TimeUnit.SECONDS, IncidentReport.class);
    } catch (TimeoutException e) {
      throw new AssertionError(
          "the incident did not end within " + timeoutSeconds + " s; the worker's log:\n" + log(),
          e);
    }
  }

  /** SIGTERM, and up to 30 s for it to stop as an operator's would. */
  void stop() throws InterruptedException {
    process.destroy();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** Kills it and whatever it started. */
  @Override
  public void close() throws InterruptedException {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }
}
