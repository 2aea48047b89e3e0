package io.drctl.sandbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * What the sandbox does inside the primary: its database, the replica's slot, watching replication.
 */
final class PrimaryDatabase {
  private static final Duration POLL = Duration.ofMillis(500);
  private static final Duration STREAMING_WAIT = Duration.ofSeconds(60);

  private final SandboxLayout layout;
  private final Consumer<String> progress;

  PrimaryDatabase(SandboxLayout layout, Consumer<String> progress) {
    this.layout = layout;
    this.progress = progress;
  }

  /** The database and the replica's slot, both made once. */
  void prepare() {
    try (Connection connection = PostgresConnections.open(layout, Role.PRIMARY, "postgres", 5);
        Statement statement = connection.createStatement()) {
      boolean exists;
      try (PreparedStatement query =
          connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
        query.setString(1, SandboxLayout.DATABASE);
        try (ResultSet result = query.executeQuery()) {
          exists = result.next();
        }
      }
      if (!exists) {
        statement.execute("CREATE DATABASE " + SandboxLayout.DATABASE);
        progress.accept("created database " + SandboxLayout.DATABASE);
      }
      try (PreparedStatement slot =
          connection.prepareStatement(
              "SELECT pg_create_physical_replication_slot(?) WHERE NOT EXISTS"
                  + " (SELECT 1 FROM pg_replication_slots WHERE slot_name = ?)")) {
        slot.setString(1, SandboxLayout.REPLICATION_SLOT);
        slot.setString(2, SandboxLayout.REPLICATION_SLOT);
        try (ResultSet result = slot.executeQuery()) {
          if (result.next()) {
            progress.accept("created replication slot " + SandboxLayout.REPLICATION_SLOT);
          }
        }
      }
    } catch (SQLException e) {
      throw new SandboxException(
          "preparing the primary "
              + layout.container(Role.PRIMARY)
              + " failed: "
              + PostgresConnections.describe(e),
          e);
    }
  }

  void awaitStreaming() {
    long deadline = System.nanoTime() + STREAMING_WAIT.toNanos();
    SandboxStatus.Replication last = null;
    while (System.nanoTime() < deadline) {
      try (Connection connection =
          PostgresConnections.open(layout, Role.PRIMARY, SandboxLayout.DATABASE, 5)) {
        last = replication(connection);
        if (last.streaming()) {
          progress.accept("replica: streaming through slot " + SandboxLayout.REPLICATION_SLOT);
          return;
        }
      } catch (SQLException e) {
        last =
            new SandboxStatus.Replication(
                "primary unreachable: " + PostgresConnections.describe(e), -1, null);
      }
      sleep(POLL);
    }
    throw new SandboxException(
        "the replica "
            + layout.container(Role.REPLICA)
            + " does not stream from the primary"
            + " (pg_stat_replication: "
            + (last == null ? "nothing" : last.state())
            + ") after "
            + STREAMING_WAIT.toSeconds()
            + " s; see docker logs "
            + layout.container(Role.REPLICA));
  }

  /** The replica's walsender, found through the slot, as the primary sees it. */
  static SandboxStatus.Replication replication(Connection connection) throws SQLException {
    try (PreparedStatement query =
        connection.prepareStatement(
            "SELECT r.state, pg_wal_lsn_diff(pg_current_wal_lsn(), r.replay_lsn)::bigint, r.replay_lag::text"
                + " FROM pg_replication_slots s JOIN pg_stat_replication r ON r.pid = s.active_pid"
                + " WHERE s.slot_name = ?")) {
      query.setString(1, SandboxLayout.REPLICATION_SLOT);
      try (ResultSet result = query.executeQuery()) {
        if (!result.next()) {
          return new SandboxStatus.Replication("not connected", -1, null);
        }
        long lag = result.getLong(2);
        return new SandboxStatus.Replication(
            result.getString(1), result.wasNull() ? -1 : lag, result.getString(3));
      }
    }
  }

  /** The archiver as pg_stat_archiver shows it, with the archive_command in force. */
  static SandboxStatus.Archiver archiver(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet result =
            statement.executeQuery(
                "SELECT current_setting('archive_mode'),"
                    + " current_setting('archive_command'), archived_count, last_archived_wal, last_archived_time,"
                    + " failed_count, last_failed_wal, last_failed_time FROM pg_stat_archiver")) {
      result.next();
      return new SandboxStatus.Archiver(
          result.getString(1),
          result.getString(2),
          result.getLong(3),
          result.getString(4),
          instant(result.getTimestamp(5)),
          result.getLong(6),
          result.getString(7),
          instant(result.getTimestamp(8)));
    }
  }

  private static java.time.Instant instant(java.sql.Timestamp timestamp) {
    return timestamp == null ? null : timestamp.toInstant();
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SandboxException("interrupted while waiting for the replica");
    }
  }
}
