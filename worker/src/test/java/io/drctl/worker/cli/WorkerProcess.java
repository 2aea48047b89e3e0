package io.drctl.worker.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

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
            List.of(
                java(),
                "-cp",
                System.getProperty("java.class.path"),
                "io.drctl.worker.cli.Drctl",
                "worker"));
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

  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
