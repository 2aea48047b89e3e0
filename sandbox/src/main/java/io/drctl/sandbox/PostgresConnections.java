package io.drctl.sandbox;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/** JDBC connections to the sandbox's PostgreSQL servers, as {@value SandboxLayout#USER}. */
public final class PostgresConnections {
  private PostgresConnections() {}

  /**
   * A connection to {@code database} on a role's port, in UTC (checksums hash the text of
   * timestamps, which depends on the session's time zone).
   *
   * @throws SQLException when the server does not answer within {@code connectTimeoutSeconds}
   */
  public static Connection open(
      SandboxLayout layout, Role role, String database, int connectTimeoutSeconds)
      throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", SandboxLayout.USER);
    properties.setProperty("password", SandboxLayout.PASSWORD);
    properties.setProperty("connectTimeout", String.valueOf(connectTimeoutSeconds));
    properties.setProperty("ApplicationName", "drctl-sandbox");
    properties.setProperty("options", "-c TimeZone=UTC");
    return DriverManager.getConnection(layout.jdbcUrl(role, database), properties);
  }

  /** The first line of a SQL error, with its SQLSTATE. */
  static String describe(SQLException e) {
    String message = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
    return message + (e.getSQLState() == null ? "" : " (SQLSTATE " + e.getSQLState() + ")");
  }
}
