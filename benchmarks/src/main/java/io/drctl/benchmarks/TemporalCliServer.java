package io.drctl.benchmarks;

import io.drctl.store.local.LocalDirectories;
import io.drctl.testing.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/** {@code temporal server start-dev} as a child process, on loopback, with SQLite in a temp dir. */
final class TemporalCliServer implements BenchmarkServer {
  private final Process process;
  private final Path directory;
  private final int port;
  private final String version;
  private final int transferPollsPerSecond;

  static final String TRANSFER_POLL_RPS = "history.transferProcessorMaxPollRPS";

  private TemporalCliServer(Process process, Path directory, int port, String version, int transferPollsPerSecond) {
    // directory: the SQLite file and the server log; removed by close()
    this.transferPollsPerSecond = transferPollsPerSecond;
    this.process = process;
    this.directory = directory;
    this.port = port;
    this.version = version;
  }

  /**
   * Starts the server with its SQLite file in a new directory under {@code databaseParent}.
   *
   * @param transferPollsPerSecond the history service's transfer queue reads per second
   *     ({@code history.transferProcessorMaxPollRPS}); 0 keeps the server's default of 20, which
   *     on the dev server's single shard delays every activity and workflow task by about 40 ms
   */
  static TemporalCliServer start(Path cli, Path databaseParent, int transferPollsPerSecond) {
    try {
      Path directory = Files.createTempDirectory(databaseParent, "drctl-bench-temporal");
      int port = FreePorts.any();
      List<String> command = new ArrayList<>(List.of(cli.toString(), "server", "start-dev",
          "--ip", "127.0.0.1", "--port", String.valueOf(port), "--ui-port", String.valueOf(FreePorts.any()),
          "--headless", "--db-filename", directory.resolve("temporal.db").toString(), "--log-level", "error"));
      for (String name : BenchmarkServer.searchAttributes()) {
        command.add("--search-attribute");
        command.add(name + "=Keyword");
      }
      if (transferPollsPerSecond > 0) {
        command.add("--dynamic-config-value");
        command.add(TRANSFER_POLL_RPS + "=" + transferPollsPerSecond);
      }
      Process process = new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(directory.resolve("temporal.log").toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
          .start();
      return new TemporalCliServer(process, directory, port, version(cli), transferPollsPerSecond);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the Temporal CLI dev server", e);
    }
  }

  private static String version(Path cli) throws IOException {
    Process process = new ProcessBuilder(cli.toString(), "--version").redirectErrorStream(true).start();
    String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return text;
  }

  @Override
  public String target() {
    return "127.0.0.1:" + port;
  }

  @Override
  public String description() {
    return "Temporal CLI dev server (" + version + "), pid " + process.pid() + ", SQLite file "
        + directory.resolve("temporal.db") + ", " + (transferPollsPerSecond > 0
            ? TRANSFER_POLL_RPS + "=" + transferPollsPerSecond : "stock dynamic config (" + TRANSFER_POLL_RPS + " 20)");
  }

  @Override
  public String logTail() {
    try {
      List<String> lines = Files.readAllLines(directory.resolve("temporal.log"), StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
    } catch (IOException e) {
      return "(cannot read the server log: " + e.getMessage() + ")";
    }
  }

  /** utime + stime of the server process and its threads, from /proc (clock ticks of 10 ms). */
  @Override
  public OptionalLong cpuNanos() {
    try {
      String stat = Files.readString(Path.of("/proc", String.valueOf(process.pid()), "stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
      return OptionalLong.of(ticks * 10_000_000L);
    } catch (IOException | RuntimeException e) {
      return OptionalLong.empty();
    }
  }

  @Override
  public void close() {
    List<ProcessHandle> children = process.descendants().toList();
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    try {
      LocalDirectories.deleteRecursively(directory);
    } catch (IOException e) {
      System.err.println("could not remove " + directory + ": " + e.getMessage());
    }
  }
}
