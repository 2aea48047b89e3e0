package io.drctl.activities.postgres;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * One real PostgreSQL 15 cluster of the test run, on the host: data directory {@code dir/data}
 * owned by {@code postgres}, listening on 127.0.0.1:{@link #port()} and a unix socket in the run's
 * directory, log in {@code dir/server.log}. Made by {@link PostgresTestClusters}.
 */
public final class TestCluster {
  /** What a cluster needs of the fixture that made it. */
  interface Control {
    void pgCtl(TestCluster cluster, String action);

    String password();
  }

  private final Control clusters;
  private final String name;
  private final Path directory;
  private final int port;

  TestCluster(Control clusters, String name, Path directory, int port) {
    this.clusters = clusters;
    this.name = name;
    this.directory = directory;
    this.port = port;
  }

  String name() {
    return name;
  }

  public int port() {
    return port;
  }

  Path dataDirectory() {
    return directory.resolve("data");
  }

  Path log() {
    return directory.resolve("server.log");
  }

  String logText() {
    try {
      return Files.exists(log()) ? Files.readString(log()) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The runbook target of this cluster, as the plan holds it (password by reference). */
  ObjectNode target() {
    ObjectNode target = JsonNodeFactory.instance.objectNode();
    target.put("kind", "postgres");
    target.put("host", "127.0.0.1");
    target.put("port", port);
    target.put("database", "postgres");
    target.put("user", "postgres");
    target.put("password", PostgresTestClusters.PASSWORD_REFERENCE);
    target.put("dataDirectory", dataDirectory().toString());
    target.put("sslMode", "disable");
    return target;
  }

  JsonNode targetWithout(String property) {
    ObjectNode target = target();
    target.remove(property);
    return target;
  }

  /** Starts the server (pg_ctl start -w) with its port on the command line. */
  void start() {
    clusters.pgCtl(this, "start");
  }

  /** Stops the server (fast shutdown). */
  void stop() {
    clusters.pgCtl(this, "stop");
  }

  /** Stops the server at once, like a crash (no shutdown checkpoint). */
  void crash() {
    clusters.pgCtl(this, "crash");
  }

  boolean isRunning() {
    return Files.exists(dataDirectory().resolve("postmaster.pid"));
  }

  Connection connect(String database) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", "postgres");
    properties.setProperty("password", clusters.password());
    properties.setProperty("sslmode", "disable");
    return DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + port + "/" + database, properties);
  }

  /** Runs statements in autocommit mode on database {@code postgres}. */
  public void execute(String... statements) {
    try (Connection connection = connect("postgres");
        Statement statement = connection.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(name + ": " + e.getMessage(), e);
    }
  }

  /** The first column of every row of a query, as text. */
  List<String> column(String sql) {
    try (Connection connection = connect("postgres");
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      List<String> values = new ArrayList<>();
      while (rows.next()) {
        values.add(rows.getString(1));
      }
      return values;
    } catch (SQLException e) {
      throw new IllegalStateException(name + ": " + e.getMessage(), e);
    }
  }

  String value(String sql) {
    List<String> values = column(sql);
    return values.isEmpty() ? null : values.get(0);
  }

  Path directory() {
    return directory;
  }

  @Override
  public String toString() {
    return name + "@" + port;
  }
}
