package io.drctl.worker.drill;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@code drctl worker} with its in-process alert receiver, in a JVM of its own started from this
 * one's class path (the drctl jar, or a test's classes), as an operator runs it beside a server:
 * the runbook's secrets are in its environment only, never in this process's arguments or logs.
 */
final class WorkerProcess implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

  private final Process process;
  private final Path log;

  private WorkerProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /**
   * Starts it and waits until it polls and its receiver listens.
   *
   * @param arguments the {@code drctl worker} options
   * @param environment secrets the runbook's targets and the receiver's token refer to
   * @throws DrillException when it exits or does not come up in time, with the tail of its log
   */
  static WorkerProcess start(List<String> arguments, Map<String, String> environment, Path log)
      throws InterruptedException {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "io.drctl.worker.cli.Drctl",
                "worker"));
    command.addAll(arguments);
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()))
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    builder.environment().putAll(environment);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new DrillException("cannot start the worker: " + e.getMessage(), e);
    }
    WorkerProcess worker = new WorkerProcess(process, log);
    try {
      Waits.until(
          () -> {
            String output = Files.readString(log, StandardCharsets.UTF_8);
            if (!process.isAlive()) {
              throw new IllegalStateException("exited with status " + process.exitValue());
            }
            return output.contains("drctl worker polling")
                && output.contains("drctl receiver on http://");
          },
          START_TIMEOUT,
          "the worker to poll and its alert receiver to listen");
    } catch (DrillException e) {
      worker.close();
      throw new DrillException(e.getMessage() + "; its log " + log + " ends:\n" + worker.tail(15));
    }
    return worker;
  }

  long pid() {
    return process.pid();
  }

  /**
   * When the worker has ended: a sentence saying so, with its exit status and the last lines of its
   * log; empty while it runs.
   */
  Optional<String> exited() {
    if (process.isAlive()) {
      return Optional.empty();
    }
    return Optional.of(
        "the drill's worker exited with status "
            + process.exitValue()
            + "; its log "
            + log
            + " ends:\n"
            + tail(15));
  }

  /** The last {@code lines} lines of its log. */
  String tail(int lines) {
    try {
      List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e.getMessage() + ")";
    }
  }

  /** SIGTERM (the worker lets running steps finish for its grace period), then SIGKILL. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(40, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
