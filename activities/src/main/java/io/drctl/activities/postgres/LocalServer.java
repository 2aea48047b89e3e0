package io.drctl.activities.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A server whose data directory is on the worker's host, stopped and started with pg_ctl as the
 * directory's owner. Its command line options (the port) live in {@code postmaster.opts}: they are
 * read before its data directory is replaced (rewind, reclone, PITR) and put back, so that {@code
 * pg_ctl restart} starts it as it ran before.
 */
final class LocalServer {
  private final ServerTools tools;
  private final PostgresTarget target;
  private final Path data;

  LocalServer(ServerTools tools, PostgresTarget target) {
    this.tools = tools;
    this.target = target;
    this.data = Path.of(target.requireDataDirectory());
  }

  Path data() {
    return data;
  }

  /**
   * Stops the server (fast shutdown) when it runs; returns its {@code postmaster.opts}, or null.
   */
  String stop() {
    String options = read(data.resolve("postmaster.opts"));
    String pidFile = read(data.resolve("postmaster.pid"));
    if (pidFile != null) {
      long pid = Long.parseLong(pidFile.lines().findFirst().orElse("0").strip());
      if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
        tools.onServer(
            target,
            null,
            PostgresFailures.TOOL_FAILED,
            "pg_ctl",
            List.of("-D", data.toString(), "-m", "fast", "-w", "-t", "120", "stop"));
      }
    }
    return options;
  }

  /**
   * Starts the server with the options it ran with ({@code pg_ctl restart} reads them from {@code
   * postmaster.opts}, written back first) and its log in {@code log}. With {@code wait}, returns
   * when it accepts connections.
   */
  void start(String options, Path log, boolean wait) {
    if (options != null) {
      write(data.resolve("postmaster.opts"), options);
    }
    List<String> arguments = new ArrayList<>(List.of("-D", data.toString(), "-l", log.toString()));
    arguments.addAll(wait ? List.of("-w", "-t", "600") : List.of("-W"));
    arguments.add(options != null ? "restart" : "start");
    tools.onServer(target, null, PostgresFailures.TOOL_FAILED, "pg_ctl", arguments);
  }

  static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes a file in the data directory, owned like the directory. */
  static void write(Path file, String text) {
    try {
      Files.writeString(file, text, StandardCharsets.UTF_8);
      Files.setOwner(file, Files.getOwner(file.getParent()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Appends to a file in the data directory, owned like the directory when it is new. */
  static void append(Path file, String text) {
    try {
      boolean existed = Files.exists(file);
      Files.writeString(
          file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      if (!existed) {
        Files.setOwner(file, Files.getOwner(file.getParent()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
