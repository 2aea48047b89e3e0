package io.drctl.worker.drill;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;

/**
 * Writes {@code drctl_drill.writes(n)} rows, one transaction each, to the database the backend uses
 * (the primary until a failover moves it).
 */
final class PostgresWriter extends AcknowledgedWriter {
  static final String TABLE = "drctl_drill.writes";

  private final DrillPlatform platform;
  private Connection connection;

  PostgresWriter(DrillPlatform platform) {
    super("postgres");
    this.platform = platform;
  }

  /**
   * Creates the table on the primary afresh: before the baseline backups, so that every backup
   * holds it.
   */
  static void prepare(DrillPlatform platform) throws SQLException {
    create(platform, true);
  }

  /**
   * Creates the table where the backend's database lacks it: after an earlier scenario's failure
   * left a new, reseeded primary, so that the writes go on being measured.
   */
  static void ensure(DrillPlatform platform) throws SQLException {
    create(platform, false);
  }

  private static void create(DrillPlatform platform, boolean afresh) throws SQLException {
    try (Connection connection =
            platform.database(
                afresh
                    ? platform.layout().port(io.drctl.sandbox.Role.PRIMARY)
                    : platform.databasePort());
        Statement statement = connection.createStatement()) {
      statement.execute("create schema if not exists drctl_drill");
      if (afresh) {
        statement.execute("drop table if exists " + TABLE);
      }
      statement.execute(
          "create table if not exists "
              + TABLE
              + " (n bigint primary key, at timestamptz not null default now())");
    }
  }

  @Override
  void write(long n) throws SQLException {
    if (connection == null) {
      connection = platform.database(platform.databasePort());
    }
    try (PreparedStatement insert =
        connection.prepareStatement("insert into " + TABLE + " (n) values (?)")) {
      insert.setLong(1, n);
      insert.executeUpdate();
    }
  }

  @Override
  Set<Long> present(long upTo) throws SQLException {
    Set<Long> held = new HashSet<>();
    try (Connection reader = platform.database(platform.databasePort());
        PreparedStatement select =
            reader.prepareStatement("select n from " + TABLE + " where n <= ?")) {
      select.setLong(1, upTo);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          held.add(rows.getLong(1));
        }
      }
    } catch (SQLException e) {
      if ("42P01".equals(e.getSQLState()) || "3F000".equals(e.getSQLState())) {
        return held; // the table itself is gone: every write is lost
      }
      throw e;
    }
    return held;
  }

  @Override
  void reset() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException e) {
        // The server is gone or the socket broke: the next write opens another connection.
      }
      connection = null;
    }
  }
}
