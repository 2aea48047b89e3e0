package io.drctl.activities.postgres;

import io.drctl.activities.ActionFailures;
import io.temporal.failure.ApplicationFailure;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;

/**
 * {@code postgres.promote}: fence the old primary, then {@code pg_promote(wait => true)} on the
 * standby. The order of checks is chosen so that a refusal changes nothing: the lag is measured
 * before fencing, and promotion happens only after fencing succeeded (or {@code force}).
 */
final class Promotion {
  private static final Duration FENCE_PROBE_TIMEOUT = Duration.ofSeconds(3);
  private static final String FENCE_STOP_TIMEOUT = "30s";

  private final PostgresConnector connector;
  private final ServerTools tools;

  Promotion(PostgresConnector connector, ServerTools tools) {
    this.connector = connector;
    this.tools = tools;
  }

  PostgresPromoteResult promote(PostgresPromoteInput input) {
    PostgresInputs.present("postgres.promote", input);
    PostgresTarget standby = PostgresTarget.of(input.targets(), "target", input.target());
    PostgresTarget fence =
        input.fence() == null ? null : PostgresTarget.of(input.targets(), "fence", input.fence());
    long maxLagBytes = PostgresInputs.atLeast("maxLagBytes", input.maxLagBytes(), 0);
    int waitSeconds = (int) PostgresInputs.atLeast("waitSeconds", input.waitSeconds(), 1);
    if (!"stopContainer".equals(input.fenceMode())
        && !"rejectConnections".equals(input.fenceMode())) {
      throw ActionFailures.invalidInput(
          "fenceMode must be stopContainer or rejectConnections, was " + input.fenceMode());
    }
    if (fence == null && !input.force()) {
      throw ActionFailures.invalidInput(
          "promote without fence risks two primaries: name the old primary in fence,"
              + " or set force: true after an approval");
    }
    Progress progress = Progress.of("postgres.promote");
    progress.beat("checking " + standby.name(), 0);
    String standbyPosition =
        connector.with(
            standby,
            "checking the standby",
            connection ->
                ServerChecks.single(
                    connection,
                    "select case when pg_is_in_recovery()"
                        + " then coalesce(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn())::text end"));
    if (standbyPosition == null) {
      return connector.with(
          standby,
          "reading the primary's state",
          connection -> result(connection, standby, false, false, 0));
    }

    if (fence != null) {
      progress.beat("measuring the standby's lag behind " + fence.name(), 1);
      Long lag = lagBehind(fence, standbyPosition);
      if (lag != null && lag > maxLagBytes && !input.force()) {
        throw ActionFailures.retryable(
            PostgresFailures.REPLICA_LAGGING,
            standby.describe()
                + " is "
                + lag
                + " bytes of WAL behind "
                + fence.describe()
                + " (limit "
                + maxLagBytes
                + "): promoting it now would"
                + " lose those writes; wait for it to catch up, or set force: true after an approval");
      }
    }

    boolean fenced = fence != null && fenceAndCheck(fence, input.fenceMode(), progress);
    if (fence != null) {
      if (!fenced && !input.force()) {
        throw ActionFailures.nonRetryable(
            PostgresFailures.PRIMARY_STILL_ALIVE,
            fence.describe()
                + " still accepts writes after fencing ("
                + input.fenceMode()
                + "): promoting "
                + standby.name()
                + " would make two primaries; stop it, or set force: true after an approval");
      }
    }

    progress.beat("promoting " + standby.name(), 3);
    long started = System.nanoTime();
    return connector.with(
        standby,
        "promoting",
        connection -> {
          try (Statement statement = connection.createStatement();
              ResultSet rows =
                  statement.executeQuery("select pg_promote(true, " + waitSeconds + ")")) {
            rows.next();
            if (!rows.getBoolean(1)) {
              throw ActionFailures.retryable(
                  PostgresFailures.PROMOTION_FAILED,
                  standby.describe()
                      + " did not finish promotion within "
                      + waitSeconds
                      + "s; it may still finish");
            }
          }
          long millis = (System.nanoTime() - started) / 1_000_000;
          return result(connection, standby, true, fenced, millis);
        });
  }

  private boolean fenceAndCheck(PostgresTarget fence, String mode, Progress progress) {
    progress.beat("fencing " + fence.name() + " (" + mode + ")", 2);
    return fence(fence, mode);
  }

  /**
   * Bytes the standby has not received of what the fence wrote; {@code null} when the fence is
   * down.
   */
  private Long lagBehind(PostgresTarget fence, String standbyPosition) {
    try {
      return connector.with(
          fence,
          "reading the old primary's WAL position",
          FENCE_PROBE_TIMEOUT,
          connection ->
              Long.valueOf(
                  ServerChecks.single(
                      connection,
                      "select case when pg_is_in_recovery() then 0 else"
                          + " greatest(0, pg_wal_lsn_diff(pg_current_wal_lsn(), '"
                          + standbyPosition
                          + "'))::int8 end")));
    } catch (ApplicationFailure failure) {
      if (PostgresFailures.SERVER_UNAVAILABLE.equals(failure.getType())) {
        return null;
      }
      throw failure;
    }
  }

  /** Fences the old primary; true when it no longer accepts writes afterwards. */
  private boolean fence(PostgresTarget fence, String mode) {
    if ("stopContainer".equals(mode)) {
      if (fence.container() != null) {
        tools.stopContainer(fence, FENCE_STOP_TIMEOUT);
      }
    } else {
      try {
        connector.with(
            fence,
            "fencing",
            FENCE_PROBE_TIMEOUT,
            connection -> {
              try (Statement statement = connection.createStatement()) {
                statement.execute("alter system set default_transaction_read_only = on");
                statement.execute("select pg_reload_conf()");
                statement.execute(
                    "select pg_terminate_backend(pid) from pg_stat_activity"
                        + " where backend_type = 'client backend' and pid <> pg_backend_pid()");
              }
              return null;
            });
      } catch (ApplicationFailure failure) {
        if (!PostgresFailures.SERVER_UNAVAILABLE.equals(failure.getType())) {
          throw failure;
        }
      }
    }
    return !acceptsWrites(fence);
  }

  /**
   * Whether a new session on the server could write: it answers, is no standby, and is not read
   * only.
   */
  private boolean acceptsWrites(PostgresTarget server) {
    try {
      return connector.with(
          server,
          "probing the old primary",
          FENCE_PROBE_TIMEOUT,
          connection ->
              "t"
                  .equals(
                      ServerChecks.single(
                          connection,
                          "select not pg_is_in_recovery()"
                              + " and not current_setting('default_transaction_read_only')::bool")));
    } catch (ApplicationFailure failure) {
      if (PostgresFailures.SERVER_UNAVAILABLE.equals(failure.getType())) {
        return false;
      }
      throw failure;
    }
  }

  private static PostgresPromoteResult result(
      Connection connection, PostgresTarget standby, boolean promoted, boolean fenced, long millis)
      throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "select ('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::int,"
                    + " pg_current_wal_lsn()::text")) {
      rows.next();
      int timeline = rows.getInt(1);
      String switchLsn = switchPoint(connection, timeline);
      return new PostgresPromoteResult(
          promoted,
          fenced,
          timeline,
          switchLsn == null ? rows.getString(2) : switchLsn,
          standby.host(),
          standby.port(),
          Instant.now().toString(),
          millis);
    }
  }

  /** Where the timeline starts, from its history file; {@code null} when it cannot be read. */
  private static String switchPoint(Connection connection, int timeline) {
    if (timeline <= 1) {
      return null;
    }
    String file = String.format("pg_wal/%08X.history", timeline);
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("select pg_read_file('" + file + "')")) {
      rows.next();
      String[] lines = rows.getString(1).strip().split("\n");
      String[] fields = lines[lines.length - 1].split("\\s+");
      return fields.length >= 2 ? fields[1] : null;
    } catch (SQLException e) {
      return null; // not a superuser: the caller reports the current position instead
    }
  }
}
