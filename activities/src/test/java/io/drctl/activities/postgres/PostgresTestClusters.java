package io.drctl.activities.postgres;

import io.drctl.testing.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Real PostgreSQL 15 clusters for the postgres tests, run on the host from {@code DRCTL_PG_BINDIR}
 * (default {@code /usr/lib/postgresql/15/bin}) as the {@code postgres} user through {@code
 * runuser}. Register with {@code @RegisterExtension static}.
 *
 * <ul>
 *   <li>{@link #shared()}: one primary with a streaming replica (slot {@code replica1}), made once
 *       per JVM and reused by every test class; tests must not change its topology or stop it.
 *   <li>{@link #freshPair(String)}: a primary and streaming replica of the calling class alone, for
 *       tests that promote, fence, crash or rewind; removed after the class.
 * </ul>
 *
 * <p>Speed: {@code initdb} runs once per JVM into a template that every cluster copies; {@code
 * fsync=off}. Replicas are made with {@code pg_basebackup -R -C -S slot -X stream}. Every cluster
 * has {@code wal_log_hints=on} (pg_rewind), archiving into its pair's {@code archive} directory,
 * listens on 127.0.0.1 on a free port in 57000-57999 and on a unix socket in the run's directory.
 * The password of role {@code postgres} (scram over TCP) is {@link #password()}, which activities
 * reach through the secret reference {@value #PASSWORD_REFERENCE}.
 */
public final class PostgresTestClusters implements BeforeAllCallback, AfterAllCallback {
  static final String PASSWORD_VARIABLE = "DRCTL_TEST_PGPASSWORD";
  static final String PASSWORD_REFERENCE = "env:" + PASSWORD_VARIABLE;
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(PostgresTestClusters.class);
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(90);

  private Run run;
  private final List<TestCluster> classClusters = new ArrayList<>();

  @Override
  public void beforeAll(ExtensionContext context) {
    run =
        context
            .getRoot()
            .getStore(NAMESPACE)
            .getOrComputeIfAbsent(Run.class, key -> new Run(), Run.class);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    List<TestCluster> clusters = new ArrayList<>(classClusters);
    Collections.reverse(clusters);
    for (TestCluster cluster : clusters) {
      run.remove(cluster);
    }
    classClusters.clear();
  }

  String password() {
    return run.password;
  }

  /** The environment a {@code SecretResolver} needs to resolve {@value #PASSWORD_REFERENCE}. */
  Map<String, String> secrets() {
    return Map.of(PASSWORD_VARIABLE, run.password);
  }

  String bindir() {
    return run.bindir.toString();
  }

  /** The JVM's shared primary and replica. */
  Pair shared() {
    synchronized (run) {
      if (run.shared == null) {
        run.shared = run.pair("shared");
      }
      return run.shared;
    }
  }

  /** A new primary and replica, removed after the calling test class. */
  Pair freshPair(String label) {
    Pair pair = run.pair(label);
    classClusters.add(pair.primary());
    classClusters.add(pair.replica());
    return pair;
  }

  /** A new stand-alone primary, removed after the calling test class. */
  public TestCluster freshPrimary(String label) {
    TestCluster cluster =
        run.primary(label, run.directory.resolve(label + "-" + shortId() + "-archive"));
    classClusters.add(cluster);
    return cluster;
  }

  /**
   * A new stand-alone primary from its own initdb, removed after the calling test class: unlike
   * {@link #freshPrimary} (copies of one template, which share its system identifier) a different
   * database system, as a cluster re-initialised on the same host is.
   */
  TestCluster reinitialisedPrimary(String label) {
    TestCluster cluster =
        run.primary(label, run.directory.resolve(label + "-" + shortId() + "-archive"), true);
    classClusters.add(cluster);
    return cluster;
  }

  /**
   * A host replica streaming (slot {@code replica1}) from a primary elsewhere, removed after the
   * class.
   */
  TestCluster freshReplicaOf(int primaryPort, String label) {
    TestCluster primary =
        new TestCluster(run, "primary:" + primaryPort, run.directory, primaryPort);
    TestCluster replica = run.replicaOf(primary, label + "-" + shortId(), "replica1");
    classClusters.add(replica);
    return replica;
  }

  void pgCtl(TestCluster cluster, String action) {
    run.pgCtl(cluster, action);
  }

  /** A primary and a replica streaming from it through slot {@code replica1}. */
  record Pair(TestCluster primary, TestCluster replica, Path archive) {}

  private static String shortId() {
    return UUID.randomUUID().toString().substring(0, 6);
  }

  /** What lives as long as the JVM: the run directory, the template and the shared pair. */
  private static final class Run
      implements ExtensionContext.Store.CloseableResource, AutoCloseable, TestCluster.Control {
    final Path bindir =
        Path.of(System.getenv().getOrDefault("DRCTL_PG_BINDIR", "/usr/lib/postgresql/15/bin"));
    final String password = "pw-" + UUID.randomUUID();
    final Path directory;
    final Path template;
    final List<TestCluster> all = new ArrayList<>();
    Pair shared;

    Run() {
      if (!Files.isExecutable(bindir.resolve("initdb"))) {
        throw new AssertionError(
            "no PostgreSQL binaries in "
                + bindir
                + ": install postgresql-15 or set DRCTL_PG_BINDIR");
      }
      try {
        // Short: unix socket paths are limited to 107 bytes.
        directory = Files.createTempDirectory(Path.of("/tmp"), "drpg-");
        run("chown", "postgres:postgres", directory.toString());
        Files.writeString(directory.resolve("pwfile"), password + "\n");
        run("chown", "postgres", directory.resolve("pwfile").toString());
        template = directory.resolve("template");
        initdb(template);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** initdb with the fixture's settings: a new database system (its own system identifier). */
    void initdb(Path data) throws IOException {
      asPostgres(
          bindir.resolve("initdb").toString(),
          "-D",
          data.toString(),
          "-U",
          "postgres",
          "--auth-local=trust",
          "--auth-host=scram-sha-256",
          "--pwfile=" + directory.resolve("pwfile"),
          "-E",
          "UTF8",
          "--locale=C",
          "-N");
      Files.writeString(
          data.resolve("postgresql.conf"),
          String.join(
              "\n",
              "",
              "# drctl test fixture",
              "listen_addresses = '127.0.0.1'",
              "unix_socket_directories = '" + directory + "'",
              "wal_level = replica",
              "max_wal_senders = 10",
              "max_replication_slots = 10",
              "wal_log_hints = on",
              "fsync = off",
              "full_page_writes = on",
              "track_commit_timestamp = on",
              "shared_buffers = 16MB",
              "max_connections = 40",
              "hot_standby = on",
              "wal_keep_size = 64MB",
              "archive_mode = on",
              "archive_timeout = 0",
              "log_line_prefix = '%m [%p] '",
              ""),
          StandardCharsets.UTF_8,
          java.nio.file.StandardOpenOption.APPEND);
    }

    Pair pair(String label) {
      Path archive = directory.resolve(label + "-" + shortId() + "-archive");
      TestCluster primary = primary(label + "-primary", archive);
      TestCluster replica = replicaOf(primary, label + "-replica", "replica1");
      return new Pair(primary, replica, archive);
    }

    TestCluster primary(String label, Path archive) {
      return primary(label, archive, false);
    }

    TestCluster primary(String label, Path archive, boolean initdb) {
      try {
        Path clusterDirectory = newClusterDirectory(label);
        if (!Files.isDirectory(archive)) {
          Files.createDirectories(archive);
          run("chown", "postgres:postgres", archive.toString());
        }
        if (initdb) {
          initdb(clusterDirectory.resolve("data"));
        } else {
          run("cp", "-a", template.toString(), clusterDirectory.resolve("data").toString());
        }
        Files.writeString(
            clusterDirectory.resolve("data").resolve("postgresql.conf"),
            "archive_command = 'test ! -f " + archive + "/%f && cp %p " + archive + "/%f'\n",
            StandardCharsets.UTF_8,
            java.nio.file.StandardOpenOption.APPEND);
        return startOnFreePort(label, clusterDirectory);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    TestCluster replicaOf(TestCluster primary, String label, String slot) {
      Path clusterDirectory = newClusterDirectory(label);
      asPostgresWithPassword(
          bindir.resolve("pg_basebackup").toString(),
          "-h",
          "127.0.0.1",
          "-p",
          String.valueOf(primary.port()),
          "-U",
          "postgres",
          "-D",
          clusterDirectory.resolve("data").toString(),
          "-R",
          "-C",
          "-S",
          slot,
          "-X",
          "stream",
          "-c",
          "fast");
      TestCluster replica = startOnFreePort(label, clusterDirectory);
      awaitStreaming(primary, replica);
      return replica;
    }

    private void awaitStreaming(TestCluster primary, TestCluster replica) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (System.nanoTime() < deadline) {
        if ("1"
            .equals(
                primary.value(
                    "select count(*) from pg_stat_replication where state = 'streaming'"))) {
          return;
        }
        sleep(50);
      }
      throw new AssertionError(
          replica + " does not stream from " + primary + ":\n" + replica.logText());
    }

    private Path newClusterDirectory(String label) {
      Path clusterDirectory = directory.resolve(label + "-" + shortId());
      try {
        Files.createDirectories(clusterDirectory);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      run("chown", "postgres:postgres", clusterDirectory.toString());
      return clusterDirectory;
    }

    private TestCluster startOnFreePort(String label, Path clusterDirectory) {
      AssertionError last = null;
      for (int attempt = 0; attempt < 5; attempt++) {
        TestCluster cluster =
            new TestCluster(this, label, clusterDirectory, FreePorts.inRange(57000, 58000));
        try {
          pgCtl(cluster, "start");
          synchronized (this) {
            all.add(cluster);
          }
          return cluster;
        } catch (AssertionError e) {
          last = e; // another process took the port between the probe and the bind
        }
      }
      throw last;
    }

    @Override
    public String password() {
      return password;
    }

    @Override
    public void pgCtl(TestCluster cluster, String action) {
      String pgCtl = bindir.resolve("pg_ctl").toString();
      String data = cluster.dataDirectory().toString();
      switch (action) {
        case "start" ->
            asPostgres(
                pgCtl,
                "-D",
                data,
                "-l",
                cluster.log().toString(),
                "-w",
                "-t",
                "60",
                "-o",
                "-p " + cluster.port(),
                "start");
        case "stop" -> asPostgres(pgCtl, "-D", data, "-m", "fast", "-w", "stop");
        case "crash" -> asPostgres(pgCtl, "-D", data, "-m", "immediate", "-w", "stop");
        default -> throw new IllegalArgumentException(action);
      }
    }

    void remove(TestCluster cluster) {
      if (cluster.isRunning()) {
        try {
          pgCtl(cluster, "crash");
        } catch (AssertionError e) {
          // Already stopped by the test; the directory goes anyway.
        }
      }
      run("rm", "-rf", cluster.directory().toString());
      synchronized (this) {
        all.remove(cluster);
      }
    }

    @Override
    public void close() {
      for (TestCluster cluster : new ArrayList<>(all)) {
        remove(cluster);
      }
      run("rm", "-rf", directory.toString());
    }

    private void asPostgres(String... command) {
      List<String> argv = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
      argv.addAll(List.of(command));
      run(Map.of(), argv.toArray(String[]::new));
    }

    private void asPostgresWithPassword(String... command) {
      List<String> argv = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
      argv.addAll(List.of(command));
      run(Map.of("PGPASSWORD", password), argv.toArray(String[]::new));
    }

    private static void run(String... command) {
      run(Map.of(), command);
    }

    private static void run(Map<String, String> environment, String... command) {
      try {
        ProcessBuilder builder =
            new ProcessBuilder(command).redirectErrorStream(true).directory(new java.io.File("/"));
        builder.environment().putAll(environment);
        Process process = builder.start();
        process.getOutputStream().close();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new AssertionError(String.join(" ", command) + " timed out");
        }
        if (process.exitValue() != 0) {
          throw new AssertionError(
              String.join(" ", command)
                  + " exited with "
                  + process.exitValue()
                  + ":\n"
                  + new String(output, StandardCharsets.UTF_8));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
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
}
