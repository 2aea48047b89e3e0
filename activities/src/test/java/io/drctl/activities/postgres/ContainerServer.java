package io.drctl.activities.postgres;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.drctl.testing.FreePorts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
 * A PostgreSQL 15 primary in a Docker container as the sandbox runs one: the sandbox image ({@code
 * DRCTL_SANDBOX_IMAGE}, default {@code local/drctl-sandbox:latest}), host networking on a free port
 * in 57000-57999, the data directory a volume, WAL archived into a second volume, the server PID 1
 * of the container. Driven through the {@code docker} CLI; {@link #remove()} deletes the container
 * and both volumes.
 */
public final class ContainerServer {
  public static final String IMAGE =
      System.getenv().getOrDefault("DRCTL_SANDBOX_IMAGE", "local/drctl-sandbox:latest");
  static final String DATA = "/var/lib/postgresql/data";

  final String name = "drctl-pgtest-" + UUID.randomUUID().toString().substring(0, 8);
  final int port = FreePorts.inRange(57000, 58000);
  private final String password;

  private ContainerServer(String password) {
    this.password = password;
  }

  public static boolean imageAvailable() {
    return docker("image", "inspect", IMAGE).exitCode() == 0;
  }

  /** Starts the container and waits until the server accepts connections. */
  static ContainerServer start(String password) throws Exception {
    ContainerServer server = new ContainerServer(password);
    docker("volume", "create", server.name).check();
    docker("volume", "create", server.name + "-archive").check();
    String script =
        String.join(
            "\n",
            "set -e",
            "chown postgres:postgres " + DATA + " /archive && chmod 700 " + DATA,
            "if [ ! -f " + DATA + "/PG_VERSION ]; then",
            "  printf '%s\\n' \"$PGPASSWORD\" > /tmp/pw && chown postgres /tmp/pw",
            "  setpriv --reuid=postgres --regid=postgres --init-groups initdb -D "
                + DATA
                + " -U postgres --pwfile=/tmp/pw --auth-local=trust --auth-host=scram-sha-256 -N",
            "fi",
            "cat > " + DATA + "/drctl-test.conf <<'EOF'",
            "wal_level = replica",
            "archive_mode = on",
            "archive_command = 'cp %p /archive/%f'",
            "wal_log_hints = on",
            "max_wal_senders = 10",
            "log_line_prefix = '%m [%p] '",
            "EOF",
            "grep -q drctl-test.conf "
                + DATA
                + "/postgresql.conf || echo \"include_if_exists = 'drctl-test.conf'\" >> "
                + DATA
                + "/postgresql.conf",
            "exec setpriv --reuid=postgres --regid=postgres --init-groups postgres -D "
                + DATA
                + " -c port="
                + server.port
                + " -c listen_addresses=127.0.0.1");
    docker(
            "run",
            "-d",
            "--name",
            server.name,
            "--network",
            "host",
            "-e",
            "PGPASSWORD=" + password,
            "-v",
            server.name + ":" + DATA,
            "-v",
            server.name + "-archive:/archive",
            IMAGE,
            "sh",
            "-c",
            script)
        .check();
    server.awaitReady();
    return server;
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

  /** The archive volume as the worker sees it. */
  Path archive() {
    return Path.of(
        docker("volume", "inspect", "-f", "{{.Mountpoint}}", name + "-archive").check().trim());
  }

  boolean running() {
    return "true".equals(docker("inspect", "-f", "{{.State.Running}}", name).check().trim());
  }

  void execute(String sql) throws SQLException {
    try (Connection connection = connect();
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  String query(String sql) throws SQLException {
    try (Connection connection = connect();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      return rows.next() ? rows.getString(1) : null;
    }
  }

  void remove() {
    docker("rm", "-f", name);
    docker("volume", "rm", "-f", name);
    docker("volume", "rm", "-f", name + "-archive");
  }

  private Connection connect() throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", "postgres");
    properties.setProperty("password", password);
    properties.setProperty("sslmode", "disable");
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
          throw new AssertionError(
              "the container's server did not start:\n" + docker("logs", name).output(), notYet);
        }
        Thread.sleep(200);
      }
    }
  }

  /** How a docker CLI run ended. */
  public record Run(int exitCode, String output) {
    public String check() {
      if (exitCode != 0) {
        throw new AssertionError("docker failed (" + exitCode + "): " + output);
      }
      return output;
    }
  }

  /**
   * Runs the docker CLI (DOCKER_HOST of the test run); other test packages drive their containers
   * with it too.
   */
  public static Run docker(String... arguments) {
    List<String> command = new ArrayList<>(List.of("docker"));
    command.addAll(List.of(arguments));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return new Run(process.waitFor(), output);
    } catch (IOException e) {
      return new Run(-1, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Run(-1, "interrupted");
    }
  }
}
