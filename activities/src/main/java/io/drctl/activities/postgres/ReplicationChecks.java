package io.drctl.activities.postgres;

import io.drctl.activities.ActionFailures;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** {@code postgres.replicationStatus} and {@code postgres.archiveStatus}. */
final class ReplicationChecks {
  private static final Duration SWITCH_WAIT = Duration.ofMinutes(1);

  private final PostgresConnector connector;

  ReplicationChecks(PostgresConnector connector) {
    this.connector = connector;
  }

  PostgresReplicationStatusResult replicationStatus(PostgresReplicationStatusInput input) {
    PostgresInputs.present("postgres.replicationStatus", input);
    PostgresTarget target = PostgresTarget.of(input.targets(), "target", input.target());
    long maxLagBytes = PostgresInputs.atLeast("maxLagBytes", input.maxLagBytes(), 0);
    Duration maxLag = PostgresInputs.duration("maxLag", input.maxLag());
    Progress.of("postgres.replicationStatus").beat("reading replication state", 0);
    PostgresReplicationStatusResult result =
        connector.with(
            target,
            "reading replication state",
            connection -> read(connection, maxLagBytes, maxLag, input.minReplicas()));
    if (!result.healthy() && input.failOnProblem()) {
      throw ActionFailures.retryable(
          PostgresFailures.REPLICATION_UNHEALTHY,
          target.describe()
              + " ("
              + result.role()
              + ") is outside the replication limits: "
              + result.replicas()
              + " streaming standby(s)"
              + " (need "
              + input.minReplicas()
              + "), lag "
              + result.lagBytes()
              + " bytes (limit "
              + maxLagBytes
              + ") and "
              + result.lagSeconds()
              + "s (limit "
              + input.maxLag()
              + "), "
              + result.inactiveSlots()
              + " inactive slot(s)",
          result);
    }
    return result;
  }

  /** The replication state of the server behind {@code connection}. */
  static PostgresReplicationStatusResult read(
      Connection connection, long maxLagBytes, Duration maxLag, int minReplicas)
      throws SQLException {
    boolean inRecovery = "t".equals(ServerChecks.single(connection, "select pg_is_in_recovery()"));
    String position =
        inRecovery
            ? "coalesce(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn())"
            : "pg_current_wal_lsn()";
    List<SlotStatus> slots = slots(connection, position);
    int inactive = (int) slots.stream().filter(slot -> !slot.active()).count();
    if (inRecovery) {
      try (Statement statement = connection.createStatement();
          ResultSet rows =
              statement.executeQuery(
                  "select coalesce(r.status, 'stopped'),"
                      + " coalesce(r.received_tli, (select timeline_id from pg_control_checkpoint())),"
                      + " greatest(0, coalesce(pg_wal_lsn_diff(coalesce(r.latest_end_lsn, pg_last_wal_receive_lsn()),"
                      + " pg_last_wal_replay_lsn()), 0))::int8,"
                      + " case when pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() then 0"
                      + " else coalesce(extract(epoch from clock_timestamp() - pg_last_xact_replay_timestamp()), 0)"
                      + " end::float8,"
                      + " coalesce(to_char(pg_last_xact_replay_timestamp() at time zone 'UTC',"
                      + " 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), '')"
                      + " from (select 1) one left join pg_stat_wal_receiver r on true")) {
        rows.next();
        boolean streaming = "streaming".equals(rows.getString(1));
        long lagBytes = rows.getLong(3);
        double lagSeconds = rows.getDouble(4);
        boolean healthy =
            streaming
                && lagBytes <= maxLagBytes
                && lagSeconds <= maxLag.toMillis() / 1000.0
                && inactive == 0;
        return new PostgresReplicationStatusResult(
            healthy,
            "standby",
            true,
            rows.getInt(2),
            0,
            lagBytes,
            lagSeconds,
            rows.getString(5),
            slots,
            inactive);
      }
    }
    try (Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "select ('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::int,"
                    + " (select count(*) from pg_stat_replication where state = 'streaming'),"
                    + " (select coalesce(max(greatest(0, pg_wal_lsn_diff(pg_current_wal_lsn(),"
                    + " coalesce(replay_lsn, '0/0')))), 0) from pg_stat_replication)::int8,"
                    + " (select coalesce(max(extract(epoch from replay_lag)), 0) from pg_stat_replication)::float8")) {
      rows.next();
      int replicas = rows.getInt(2);
      long lagBytes = rows.getLong(3);
      double lagSeconds = rows.getDouble(4);
      boolean healthy =
          replicas >= minReplicas
              && lagBytes <= maxLagBytes
              && lagSeconds <= maxLag.toMillis() / 1000.0
              && inactive == 0;
      return new PostgresReplicationStatusResult(
          healthy,
          "primary",
          false,
          rows.getInt(1),
          replicas,
          lagBytes,
          lagSeconds,
          "",
          slots,
          inactive);
    }
  }

  private static List<SlotStatus> slots(Connection connection, String position)
      throws SQLException {
    List<SlotStatus> slots = new ArrayList<>();
    try (Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "select slot_name, active, coalesce(restart_lsn::text, ''),"
                    + " coalesce(greatest(0, pg_wal_lsn_diff("
                    + position
                    + ", restart_lsn)), 0)::int8"
                    + " from pg_replication_slots order by slot_name")) {
      while (rows.next()) {
        slots.add(
            new SlotStatus(
                rows.getString(1), rows.getBoolean(2), rows.getString(3), rows.getLong(4)));
      }
    }
    return slots;
  }

  PostgresArchiveStatusResult archiveStatus(PostgresArchiveStatusInput input) {
    PostgresInputs.present("postgres.archiveStatus", input);
    PostgresTarget target = PostgresTarget.of(input.targets(), "target", input.target());
    Duration maxAge = PostgresInputs.duration("maxAge", input.maxAge());
    Progress progress = Progress.of("postgres.archiveStatus");
    if (input.switchWal()) {
      switchAndAwait(target, progress);
    }
    progress.beat("reading pg_stat_archiver", 0);
    PostgresArchiveStatusResult result =
        connector.with(
            target,
            "reading pg_stat_archiver",
            connection -> {
              try (Statement statement = connection.createStatement();
                  ResultSet rows =
                      statement.executeQuery(
                          "select archived_count, failed_count, coalesce(last_archived_wal, ''),"
                              + " coalesce(to_char(last_archived_time at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), ''),"
                              + " coalesce(last_failed_wal, ''),"
                              + " coalesce(extract(epoch from clock_timestamp() - last_archived_time), -1)::float8,"
                              + " last_failed_time is not null and (last_archived_time is null"
                              + " or last_failed_time > last_archived_time),"
                              + " case when pg_is_in_recovery() then '' else pg_walfile_name(pg_current_wal_lsn()) end,"
                              + " (select setting::int8 from pg_settings where name = 'wal_segment_size')"
                              + " from pg_stat_archiver")) {
                rows.next();
                double age = rows.getDouble(6);
                boolean failing = rows.getBoolean(7);
                boolean healthy = age >= 0 && age <= maxAge.toMillis() / 1000.0 && !failing;
                long pending =
                    pendingSegments(rows.getString(8), rows.getString(3), rows.getLong(9));
                return new PostgresArchiveStatusResult(
                    healthy,
                    rows.getLong(1),
                    rows.getLong(2),
                    rows.getString(3),
                    rows.getString(4),
                    rows.getString(5),
                    age,
                    pending);
              }
            });
    if (!result.healthy() && input.failOnProblem()) {
      throw ActionFailures.retryable(
          PostgresFailures.ARCHIVE_UNHEALTHY,
          target.describe()
              + " archiving is unhealthy: "
              + (result.lastArchivedWal().isEmpty()
                  ? "nothing archived yet"
                  : "last archived "
                      + result.lastArchivedWal()
                      + " "
                      + Math.round(result.ageSeconds())
                      + "s ago (limit "
                      + input.maxAge()
                      + ")")
              + (result.lastFailedWal().isEmpty()
                  ? ""
                  : ", last failure on " + result.lastFailedWal()),
          result);
    }
    return result;
  }

  /**
   * Completed segments after the last archived one: {@code current - lastArchived - 1} by segment
   * number (timelines ignored, so a promotion does not reset it); 0 on a standby.
   */
  static long pendingSegments(String current, String lastArchived, long segmentSize) {
    if (current.isEmpty() || segmentSize <= 0) {
      return 0;
    }
    long archived =
        lastArchived.length() >= 24 && lastArchived.substring(0, 24).matches("[0-9A-F]{24}")
            ? segmentNumber(lastArchived, segmentSize)
            : -1;
    return Math.max(0, segmentNumber(current, segmentSize) - archived - 1);
  }

  private static long segmentNumber(String name, long segmentSize) {
    long perLogId = 0x100000000L / segmentSize;
    return Long.parseLong(name.substring(8, 16), 16) * perLogId
        + Long.parseLong(name.substring(16, 24), 16);
  }

  /** pg_switch_wal(), then waits up to a minute until the completed segment is archived. */
  private void switchAndAwait(PostgresTarget target, Progress progress) {
    progress.beat("switching WAL", 0);
    String segment =
        connector.with(
            target,
            "switching WAL",
            connection ->
                ServerChecks.single(connection, "select pg_walfile_name(pg_switch_wal())"));
    long deadline = System.nanoTime() + SWITCH_WAIT.toNanos();
    int polls = 0;
    while (true) {
      String archived =
          connector.with(
              target,
              "reading pg_stat_archiver",
              connection ->
                  ServerChecks.single(
                      connection, "select coalesce(last_archived_wal, '') from pg_stat_archiver"));
      // Segment names of one timeline sort in WAL order; a later timeline sorts after.
      if (archived.length() == segment.length() && archived.compareTo(segment) >= 0) {
        return;
      }
      if (System.nanoTime() > deadline) {
        return; // the status read next reports the stale archive
      }
      progress.pause(
          connector.options().pollInterval(),
          "waiting for " + segment + " to be archived",
          ++polls);
    }
  }
}
