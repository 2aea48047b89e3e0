package io.drctl.activities.postgres;

import io.drctl.activities.ActionFailures;
import io.temporal.failure.ApplicationFailure;
import java.sql.SQLException;

/**
 * The {@link ApplicationFailure} types of the {@code postgres} actions, as the action catalog
 * ({@code io/drctl/catalog/postgres.json}) names them, and the one classification of JDBC errors.
 * Runbooks list the non-retryable ones in {@code retry.nonRetryable}.
 */
public final class PostgresFailures {
  /** The server refused the role or its password. Not retryable. */
  public static final String AUTHENTICATION_FAILED = "AuthenticationFailed";

  /**
   * No server answers at the target, or it is starting, stopping or in crash recovery. Retryable.
   */
  public static final String SERVER_UNAVAILABLE = "ServerUnavailable";

  /** The target's database does not exist. Not retryable. */
  public static final String DATABASE_MISSING = "DatabaseMissing";

  /** A query failed: syntax, permission, a write in a read-only transaction. Not retryable. */
  public static final String QUERY_FAILED = "QueryFailed";

  /** A query ran longer than its statement_timeout. Retryable. */
  public static final String QUERY_TIMED_OUT = "QueryTimedOut";

  /** A table the step names does not exist. Not retryable. */
  public static final String TABLE_MISSING = "TableMissing";

  /** Too many connections or too old transactions ({@code connectionStats}). Retryable. */
  public static final String CONNECTIONS_EXHAUSTED = "ConnectionsExhausted";

  /** The data directory's filesystem is fuller than allowed ({@code diskUsage}). Retryable. */
  public static final String DISK_FULL = "DiskFull";

  /** Lag, streaming standbys or slots outside the limits ({@code replicationStatus}). Retryable. */
  public static final String REPLICATION_UNHEALTHY = "ReplicationUnhealthy";

  /** Archiving failed or is older than allowed ({@code archiveStatus}). Retryable. */
  public static final String ARCHIVE_UNHEALTHY = "ArchiveUnhealthy";

  /**
   * The old primary could not be fenced and still accepts writes ({@code promote}). Not retryable.
   */
  public static final String PRIMARY_STILL_ALIVE = "PrimaryStillAlive";

  /** The standby lags more than allowed ({@code promote}). Retryable: it may catch up. */
  public static final String REPLICA_LAGGING = "ReplicaLagging";

  /** The target is not a standby that can be promoted, or promotion did not finish. Retryable. */
  public static final String PROMOTION_FAILED = "PromotionFailed";

  /** pg_rewind failed and recloning is not allowed ({@code rejoin}). Not retryable. */
  public static final String REWIND_IMPOSSIBLE = "RewindImpossible";

  /** The server to follow does not answer ({@code rejoin}). Retryable. */
  public static final String SOURCE_UNAVAILABLE = "SourceUnavailable";

  /** The rejoined standby did not start streaming in time ({@code rejoin}). Retryable. */
  public static final String NOT_STREAMING = "NotStreaming";

  /** A check of the data failed ({@code verify}). Not retryable. */
  public static final String VERIFICATION_FAILED = "VerificationFailed";

  /** A required table is missing or the schema differs ({@code schemaCheck}). Not retryable. */
  public static final String SCHEMA_MISMATCH = "SchemaMismatch";

  /** Tables differ between two servers ({@code compare} with failOnDifference). Not retryable. */
  public static final String TABLES_DIFFER = "TablesDiffer";

  /** A client tool (pg_dump, pg_rewind, ...) failed in a way not classified above. Retryable. */
  public static final String TOOL_FAILED = "ToolFailed";

  private PostgresFailures() {}

  /**
   * The failure for an error of the JDBC driver while {@code doing} something on {@code target}.
   * Uses the SQLSTATE: class 28 (authentication) is {@link #AUTHENTICATION_FAILED}, class 08
   * (connection) and 57P01-57P03 (shutdown, cannot connect now) {@link #SERVER_UNAVAILABLE}, 3D000
   * {@link #DATABASE_MISSING}, 42P01 {@link #TABLE_MISSING}, 57014 {@link #QUERY_TIMED_OUT},
   * anything else {@link #QUERY_FAILED}. The driver's messages hold no password.
   */
  public static ApplicationFailure of(PostgresTarget target, String doing, SQLException error) {
    String state = error.getSQLState() == null ? "" : error.getSQLState();
    String message =
        doing
            + " on "
            + target.describe()
            + " failed: "
            + firstLine(error.getMessage())
            + (state.isEmpty() ? "" : " (SQLSTATE " + state + ")");
    if (state.startsWith("28")) {
      return ActionFailures.nonRetryable(AUTHENTICATION_FAILED, message);
    }
    if (state.startsWith("08")
        || state.equals("57P01")
        || state.equals("57P02")
        || state.equals("57P03")) {
      return ActionFailures.retryable(SERVER_UNAVAILABLE, message);
    }
    if (state.equals("3D000")) {
      return ActionFailures.nonRetryable(DATABASE_MISSING, message);
    }
    if (state.equals("42P01")) {
      return ActionFailures.nonRetryable(TABLE_MISSING, message);
    }
    if (state.equals("57014")) {
      return ActionFailures.retryable(QUERY_TIMED_OUT, message);
    }
    return ActionFailures.nonRetryable(QUERY_FAILED, message);
  }

  static String firstLine(String text) {
    if (text == null) {
      return "";
    }
    int newline = text.indexOf('\n');
    return newline < 0 ? text : text.substring(0, newline);
  }
}
