package io.drctl.benchmarks;

import io.drctl.testing.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * A PostgreSQL 15 cluster on this host for the PostgreSQL benchmark: data directory {@code
 * dir/data} owned by {@code postgres} (the server refuses root), trust authentication, listening on
 * 127.0.0.1:{@link #port()} and on a unix socket in {@link #socketDirectory()}. Also runs the
 * client tools (pg_dump, pg_restore, pgbackrest) as {@code postgres}.
 */
final class BenchCluster {
  private final Path bindir;
  private final Path directory;
  private final Path socketDirectory;
  private final int port;

  private BenchCluster(Path bindir, Path directory, Path socketDirectory, int port) {
    this.bindir = bindir;
    this.directory = directory;
    this.socketDirectory = socketDirectory;
    this.port = port;
  }

  /**
   * A new cluster in {@code directory} (created, owned by postgres) with {@code settings} appended
   * to its postgresql.conf, started.
   */
  static BenchCluster create(
      Path bindir, Path directory, Path socketDirectory, List<String> settings) {
    BenchCluster cluster = new BenchCluster(bindir, directory, socketDirectory, FreePorts.any());
    ownedDirectory(directory);
    cluster.asPostgres(
        bindir.resolve("initdb").toString(),
        "-D",
        cluster.data().toString(),
        "-U",
        "postgres",
        "--auth=trust",
        "-E",
        "UTF8",
        "--locale=C",
        "-N");
    List<String> lines =
        new ArrayList<>(
            List.of(
                "",
                "# drctl PostgreSQL benchmark",
                "listen_addresses = '127.0.0.1'",
                "unix_socket_directories = '" + socketDirectory + "'",
                "wal_level = replica",
                "max_wal_senders = 10",
                "shared_buffers = 128MB",
                "max_wal_size = 2GB",
                "track_commit_timestamp = on",
                "log_line_prefix = '%m [%p] '"));
    lines.addAll(settings);
    lines.add("");
    try {
      Files.writeString(
          cluster.data().resolve("postgresql.conf"),
          String.join("\n", lines),
          StandardCharsets.UTF_8,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    cluster.start();
    return cluster;
  }

  /** A cluster whose data directory another tool fills (a restore target); not started. */
  static BenchCluster restoreTarget(Path bindir, Path directory, Path socketDirectory) {
    ownedDirectory(directory);
    return new BenchCluster(bindir, directory, socketDirectory, FreePorts.any());
  }

  Path data() {
    return directory.resolve("data");
  }

  Path directory() {
    return directory;
  }

  Path socketDirectory() {
    return socketDirectory;
  }

  int port() {
    return port;
  }

  Path bindir() {
    return bindir;
  }

  /** pg_ctl start with the port on the command line; waits until it accepts connections. */
  void start() {
    asPostgres(
        bindir.resolve("pg_ctl").toString(),
        "-D",
        data().toString(),
        "-l",
        directory.resolve("server.log").toString(),
        "-o",
        "-p " + port,
        "-w",
        "-t",
        "600",
        "start");
  }

  /** Fast shutdown when running. */
  void stop() {
    if (Files.exists(data().resolve("postmaster.pid"))) {
      asPostgres(
          bindir.resolve("pg_ctl").toString(),
          "-D",
          data().toString(),
          "-m",
          "fast",
          "-w",
          "-t",
          "300",
          "stop");
    }
  }

  Connection connect(String database) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", "postgres");
    properties.setProperty("sslmode", "disable");
    return DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + port + "/" + database, properties);
  }

  /** Runs statements in autocommit mode. */
  void execute(String database, String... statements) {
    try (Connection connection = connect(database);
        Statement statement = connection.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(
          "port " + port + ", database " + database + ": " + e.getMessage(), e);
    }
  }

  /** The first column of the first row, as text, or null. */
  String value(String database, String sql) {
    try (Connection connection = connect(database);
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      return rows.next() ? rows.getString(1) : null;
    } catch (SQLException e) {
      throw new IllegalStateException(
          "port " + port + ", database " + database + ": " + e.getMessage(), e);
    }
  }

  /** Polls until the server accepts connections and is out of recovery (promoted). */
  void awaitPromoted(long pollMillis, long timeoutMillis) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    while (true) {
      try {
        if ("f".equals(value("postgres", "select pg_is_in_recovery()"))) {
          return;
        }
      } catch (IllegalStateException notYet) {
        // refused while starting up: poll again
      }
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException(
            "port "
                + port
                + " did not leave recovery within "
                + timeoutMillis
                + " ms; log: "
                + directory.resolve("server.log"));
      }
      Thread.sleep(pollMillis);
    }
  }

  /** Runs a command as the postgres user; fails with its output when it exits non-zero. */
  void asPostgres(String... command) {
    List<String> argv = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
    argv.addAll(List.of(command));
    run(argv);
  }

  static void run(List<String> argv) {
    try {
      Process process = new ProcessBuilder(argv).redirectErrorStream(true).start();
      byte[] output = process.getInputStream().readAllBytes();
      int exit = process.waitFor();
      if (exit != 0) {
        throw new IllegalStateException(
            String.join(" ", argv)
                + " exited with "
                + exit
                + ":\n"
                + new String(output, StandardCharsets.UTF_8).strip());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + argv.get(0), e);
    }
  }

  /** Creates {@code directory} (and parents) owned by postgres, mode 0700. */
  static void ownedDirectory(Path directory) {
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    run(List.of("chown", "postgres:postgres", directory.toString()));
    run(List.of("chmod", "700", directory.toString()));
  }
}
