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

  /**
   * One partition for every task queue, read and written. The server's default of four spreads a
   * task queue's pollers and tasks over four partitions that forward to each other; on one host
   * that cost a sequential incident about 50 ms a step, or about 16 or 33 ms in some rounds,
   * whichever contender ran, so a round's figure depended on which mode it landed in (2026-12-07:
   * 2,550 ms for a 50-step incident with four partitions, 500–760 ms with one).
   */
  static final List<String> ONE_PARTITION =
      List.of("matching.numTaskqueueReadPartitions=1", "matching.numTaskqueueWritePartitions=1");

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
   *     history.transferProcessorMaxPollRPS}), with {@link #ONE_PARTITION}; 0 keeps the server's
   *     stock dynamic config: 20 reads a second, which on the dev server's single shard delays
   *     every activity and workflow task by about 40 ms, and four partitions a task queue
   */
  static TemporalCliServer start(Path cli, Path databaseParent, int transferPollsPerSecond) {
    try {
      Path directory = Files.createTempDirectory(databaseParent, "drctl-bench-temporal");
      List<String> more = new ArrayList<>(List.of("--headless"));
      if (transferPollsPerSecond > 0) {
        more.addAll(
            List.of("--dynamic-config-value", TRANSFER_POLL_RPS + "=" + transferPollsPerSecond));
        for (String setting : ONE_PARTITION) {
          more.addAll(List.of("--dynamic-config-value", setting));
        }
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
            ? TRANSFER_POLL_RPS
                + "="
                + transferPollsPerSecond
                + ", "
                + String.join(", ", ONE_PARTITION)
            : "stock dynamic config (" + TRANSFER_POLL_RPS + " 20)");
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
