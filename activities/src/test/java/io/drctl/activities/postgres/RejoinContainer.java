package io.drctl.activities.postgres;

import static io.drctl.activities.postgres.ContainerServer.docker;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.drctl.testing.FreePorts;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A PostgreSQL 15 server in a container of the sandbox image for the rejoin tests: a primary
 * ({@link #primary}) or a streaming replica made with pg_basebackup from one ({@link #replicaOf}),
 * host networking on a free loopback port in 29400-29419, named {@value #PREFIX}..., its data
 * directory a volume of the same name, the server PID 1 (a stop stops it, a start starts it with
 * whatever the data directory then says: standby.signal makes it a standby). {@link #remove()}
 * deletes the container and its volume.
 */
final class RejoinContainer {
  static final String PREFIX = "drctl-itest-rejoin-";
  static final String DATA = ContainerServer.DATA;

  final String name;
  final int port;
  private final String password;

  private RejoinContainer(String role, String password) {
    this.name = PREFIX + role + "-" + UUID.randomUUID().toString().substring(0, 8);
    this.port = FreePorts.inRange(29400, 29420);
    this.password = password;
  }

  /** A primary; without {@code walLogHints} pg_rewind cannot rewind it (no checksums either). */
  static RejoinContainer primary(String password, boolean walLogHints) throws Exception {
    RejoinContainer server = new RejoinContainer("primary", password);
    server.run(
        List.of(
            "if [ ! -f " + DATA + "/PG_VERSION ]; then",
            "  printf '%s\\n' \"$PGPASSWORD\" > /tmp/pw && chown postgres /tmp/pw",
            "  setpriv --reuid=postgres --regid=postgres --init-groups initdb -D "
                + DATA
                + " -U postgres --pwfile=/tmp/pw --auth-local=trust --auth-host=scram-sha-256 -N",
            "fi"),
        walLogHints);
    return server;
  }

  /** A streaming replica of {@code primary}, cloned with pg_basebackup -R. */
  static RejoinContainer replicaOf(RejoinContainer primary, String password) throws Exception {
    RejoinContainer server = new RejoinContainer("replica", password);
    server.run(
        List.of(
            "if [ ! -f " + DATA + "/PG_VERSION ]; then",
            "  setpriv --reuid=postgres --regid=postgres --init-groups pg_basebackup -h 127.0.0.1 -p "
                + primary.port
                + " -U postgres -D "
                + DATA
                + " -R -X stream -c fast",
            "fi"),
        true);
    return server;
  }

  private void run(List<String> prepare, boolean walLogHints) throws Exception {
    docker("volume", "create", name).check();
    List<String> script =
        new ArrayList<>(
            List.of("set -e", "chown postgres:postgres " + DATA + " && chmod 700 " + DATA));
    script.addAll(prepare);
    script.addAll(
        List.of(
            "cat > " + DATA + "/drctl-test.conf <<'EOF'",
            "wal_level = replica",
            "max_wal_senders = 10",
            "wal_log_hints = " + (walLogHints ? "on" : "off"),
            "wal_keep_size = 64MB",
            "autovacuum = off",
            "log_line_prefix = '%m [%p] '",
            "EOF",
            "chown postgres:postgres " + DATA + "/drctl-test.conf",
            "grep -q drctl-test.conf "
                + DATA
                + "/postgresql.conf || echo \"include_if_exists = 'drctl-test.conf'\" >> "
                + DATA
                + "/postgresql.conf",
            "exec setpriv --reuid=postgres --regid=postgres --init-groups postgres -D "
                + DATA
                + " -c port="
                + port
                + " -c listen_addresses=127.0.0.1"));
    docker(
            "run",
            "-d",
            "--name",
            name,
            "--network",
            "host",
            "-e",
            "PGPASSWORD=" + password,
            "-v",
            name + ":" + DATA,
            ContainerServer.IMAGE,
            "sh",
            "-c",
            String.join("\n", script))
        .check();
    awaitReady();
  }

  /** Its runbook target: container, dataDirectory and volume set, password by reference. */
  ObjectNode target() {
    return JsonNodeFactory.instance
        .objectNode()
        .put("kind", "postgres")
        .put("host", "127.0.0.1")
        .put("port", port)
        .put("user", "postgres")
        .put("password", PostgresTestClusters.PASSWORD_REFERENCE)
        .put("sslMode", "disable")
        .put("container", name)
        .put("dataDirectory", DATA)
        .put("volume", name);
  }

  /** The volume's directory on the worker's host. */
  Path volumeDirectory() {
    return Path.of(docker("volume", "inspect", "-f", "{{.Mountpoint}}", name).check().trim());
  }

  boolean running() {
    return "true".equals(docker("inspect", "-f", "{{.State.Running}}", name).check().trim());
  }

  void execute(String... statements) throws SQLException {
    try (Connection connection = connect();
        Statement statement = connection.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    }
  }

  String query(String sql) throws SQLException {
    try (Connection connection = connect();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      return rows.next() ? rows.getString(1) : null;
    }
  }

  /** Waits until {@code sql} returns {@code expected}. */
  void await(String sql, String expected) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    String last = null;
    while (System.nanoTime() < deadline) {
      try {
        last = query(sql);
        if (expected.equals(last)) {
          return;
        }
      } catch (SQLException notYet) {
        last = notYet.getMessage();
      }
      Thread.sleep(100);
    }
    throw new AssertionError(name + ": " + sql + " returned " + last + ", expected " + expected);
  }

  String log() {
    return docker("logs", name).output();
  }

  void remove() {
    docker("rm", "-f", name);
    docker("volume", "rm", "-f", name);
  }

  private Connection connect() throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", "postgres");
    properties.setProperty("password", password);
    properties.setProperty("sslmode", "disable");
    properties.setProperty("connectTimeout", "5");
    return DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + port + "/postgres", properties);
  }

  private void awaitReady() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      try {
        query("select 1");
        return;
      } catch (SQLException notYet) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("the container's server did not start:\n" + log(), notYet);
        }
        Thread.sleep(200);
      }
    }
  }

  /**
   * The first port of 29400-29419 nothing listens on (servers start one after another and are
   * awaited).
   */
}
