package io.drctl.activities.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * Puts a connection into the state that user-given queries run in: every transaction read only
 * (session default, so a {@code COMMIT} inside the text does not escape it) and a statement
 * timeout; then opens a READ ONLY transaction. The caller rolls back or closes.
 */
final class ReadOnlySession {
  private ReadOnlySession() {}

  static void begin(Connection connection, Duration statementTimeout) throws SQLException {
    connection.setAutoCommit(true);
    try (Statement statement = connection.createStatement()) {
      statement.execute("set session characteristics as transaction read only");
      statement.execute("set default_transaction_read_only = on");
      statement.execute("set statement_timeout = " + Math.max(1, statementTimeout.toMillis()));
    }
    connection.setAutoCommit(false);
    try (Statement statement = connection.createStatement()) {
      statement.execute("set transaction read only");
    }
  }
}
