package io.drctl.benchmarks;

import io.drctl.store.local.LocalDirectories;
import io.drctl.testing.FreePorts;
import io.drctl.worker.dev.CliDevServer;
import io.drctl.worker.dev.DevServerOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * {@code temporal server start-dev} as the worker's {@code drctl dev} runs it ({@link
 * CliDevServer}), on loopback, headless, with its SQLite file in a temporary directory that {@link
 * #close} removes.
 */
final class TemporalCliServer implements BenchmarkServer {
  static final String TRANSFER_POLL_RPS = "history.transferProcessorMaxPollRPS";

  private final CliDevServer server;
  private final Path directory;
  private final String version;
  private final int transferPollsPerSecond;

  private TemporalCliServer(
      CliDevServer server, Path directory, String version, int transferPollsPerSecond) {
    this.server = server;
    this.directory = directory;
    this.version = version;
    this.transferPollsPerSecond = transferPollsPerSecond;
  }

  /**
   * Starts the server with its SQLite file in a new directory under {@code databaseParent}.
   *
   * @param transferPollsPerSecond the history service's transfer queue reads per second ({@code
   *     history.transferProcessorMaxPollRPS}); 0 keeps drctl's own setting (1,000, {@link
   *     CliDevServer#launch}); 20 is the server's default. The state file is new, so the server
   *     runs with one partition a task queue, as drctl's dev server does for a new file
   */
  static TemporalCliServer start(Path cli, Path databaseParent, int transferPollsPerSecond) {
    try {
      Path directory = Files.createTempDirectory(databaseParent, "drctl-bench-temporal");
      List<String> more = new ArrayList<>(List.of("--headless"));
      if (transferPollsPerSecond > 0) {
        more.addAll(
            List.of("--dynamic-config-value", TRANSFER_POLL_RPS + "=" + transferPollsPerSecond));
      }
      DevServerOptions options =
          new DevServerOptions(
                  "127.0.0.1",
                  FreePorts.any(),
                  FreePorts.any(),
                  directory,
                  "default",
                  Duration.ofSeconds(60))
              .withServerArguments(more);
      return new TemporalCliServer(
          CliDevServer.launch(cli, options), directory, version(cli), transferPollsPerSecond);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the Temporal CLI dev server", e);
    }
  }

  private static String version(Path cli) throws IOException {
    Process process =
        new ProcessBuilder(cli.toString(), "--version").redirectErrorStream(true).start();
    String text =
        new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return text;
  }

  @Override
  public String target() {
    return server.address();
  }

  @Override
  public String description() {
    return "Temporal CLI dev server ("
        + version
        + "), pid "
        + server.pid()
        + ", SQLite file "
        + directory.resolve("temporal.db")
        + ", "
        + (transferPollsPerSecond > 0
            ? TRANSFER_POLL_RPS + "=" + transferPollsPerSecond
            : "drctl's " + TRANSFER_POLL_RPS + " (1000)")
        + ", one partition a task queue";
  }

  @Override
  public String logTail() {
    return server.logTail(10);
  }

  /** utime + stime of the server process and its threads, from /proc (clock ticks of 10 ms). */
  @Override
  public OptionalLong cpuNanos() {
    try {
      String stat = Files.readString(Path.of("/proc", String.valueOf(server.pid()), "stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
      return OptionalLong.of(ticks * 10_000_000L);
    } catch (IOException | RuntimeException e) {
      return OptionalLong.empty();
    }
  }

  @Override
  public void close() {
    server.close();
    try {
      LocalDirectories.deleteRecursively(directory);
    } catch (IOException e) {
      System.err.println("could not remove " + directory + ": " + e.getMessage());
    }
  }
}
