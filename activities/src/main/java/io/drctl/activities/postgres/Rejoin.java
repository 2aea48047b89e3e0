package io.drctl.activities.postgres;

import io.drctl.activities.ActionFailures;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code postgres.rejoin}: turns a former primary into a standby of the new one with pg_rewind (or
 * a fresh pg_basebackup) while the server is stopped. One flow for both kinds of server; only where
 * the tools run differs ({@link ServerTools#onServer}): for a server in a container, in a one-off
 * sibling container of its image on its volumes; for a data directory on the worker's host, on the
 * host as the directory's owner. Before anything is rewound, {@link LostWrites} measures from the
 * stopped server's WAL what it wrote after the switch point (the data the failover lost). A host
 * server's command line options (its port) are kept from {@code postmaster.opts}, put back after
 * pg_rewind or pg_basebackup and used by {@code pg_ctl restart}; a container keeps its own command.
 */
final class Rejoin {
  private static final Pattern DIVERGED =
      Pattern.compile("diverged at WAL location (\\S+) on timeline (\\d+)");
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);

  private final PostgresConnector connector;
  private final ServerTools tools;
  private final LostWrites lostWrites;

  Rejoin(PostgresConnector connector, ServerTools tools) {
    this.connector = connector;
    this.tools = tools;
    this.lostWrites = new LostWrites(connector, tools);
  }

  PostgresRejoinResult rejoin(PostgresRejoinInput input) {
    PostgresInputs.present("postgres.rejoin", input);
    PostgresTarget target = PostgresTarget.of(input.targets(), "target", input.target());
    PostgresTarget source = PostgresTarget.of(input.targets(), "source", input.source());
    Duration streamTimeout = PostgresInputs.duration("streamTimeout", input.streamTimeout());
    if (!"rewind".equals(input.method()) && !"reclone".equals(input.method())) {
      throw ActionFailures.invalidInput("method must be rewind or reclone, was " + input.method());
    }
    if (input.replicationSlot() != null && !input.replicationSlot().matches("[a-z0-9_]+")) {
      throw ActionFailures.invalidInput(
          "replicationSlot must match [a-z0-9_]+, was " + input.replicationSlot());
    }
    ServerFiles files = ServerFiles.of(target, tools);
    Path data = files.hostData();
    String serverData = files.serverData();
    Progress progress = Progress.of("postgres.rejoin");
    progress.beat("checking " + source.name(), 0);
    checkSource(source, input.replicationSlot());

    if (streamsFrom(target, source)) {
      return finish(
          target,
          source,
          "none",
          "",
          "",
          progress,
          DataLoss.notMeasured(
              target.describe()
                  + " already streams from "
                  + source.describe()
                  + ": this attempt discarded nothing"));
    }

    progress.beat("stopping " + target.name(), 1);
    files.stop();
    progress.beat("measuring what " + target.name() + " wrote after the switch", 1);
    DataLoss loss = lostWrites.measure(target, source, serverData);

    String method = input.method();
    String divergedAt = "";
    String rewindFailure = "";
    if ("rewind".equals(method)) {
      progress.beat("rewinding " + target.name(), 2);
      try {
        ServerTools.Output output =
            tools.onServer(
                target,
                source,
                PostgresFailures.REWIND_IMPOSSIBLE,
                "pg_rewind",
                List.of("-D", serverData, "-R", "--source-server", connectionString(source)));
        Matcher matcher = DIVERGED.matcher(output.stdout() + output.stderr());
        divergedAt = matcher.find() ? matcher.group(1) : "";
      } catch (ApplicationFailure failure) {
        if (!PostgresFailures.REWIND_IMPOSSIBLE.equals(failure.getType())) {
          throw failure;
        }
        if (!input.fallbackToReclone()) {
          throw ActionFailures.nonRetryable(
              PostgresFailures.REWIND_IMPOSSIBLE,
              failure.getOriginalMessage() + " (fallbackToReclone is false)");
        }
        method = "reclone";
        rewindFailure = failure.getOriginalMessage();
      }
    }
    if ("reclone".equals(method)) {
      progress.beat("recloning " + target.name() + " from " + source.name(), 3);
      reclone(target, source, data, serverData, input.replicationSlot());
    }
    LocalServer.append(
        data.resolve("postgresql.auto.conf"),
        "# drctl rejoin: follow "
            + source.name()
            + "\nprimary_slot_name = '"
            + (input.replicationSlot() == null ? "" : input.replicationSlot())
            + "'\n");

    progress.beat("starting " + target.name() + " as a standby", 4);
    files.start();

    long deadline = System.nanoTime() + streamTimeout.toNanos();
    int polls = 0;
    while (!streamsFrom(target, source)) {
      if (System.nanoTime() > deadline) {
        throw ActionFailures.retryable(
            PostgresFailures.NOT_STREAMING,
            target.describe()
                + " was rejoined ("
                + method
                + ") but does not stream from "
                + source.describe()
                + " after "
                + input.streamTimeout()
                + "; last lines of its log:\n"
                + tail(files.log()));
      }
      progress.pause(connector.options().pollInterval(), "waiting for streaming", ++polls);
    }
    return finish(target, source, method, divergedAt, rewindFailure, progress, loss);
  }

  private void checkSource(PostgresTarget source, String slot) {
    try {
      connector.with(
          source,
          "checking the new primary",
          connection -> {
            if ("t".equals(ServerChecks.single(connection, "select pg_is_in_recovery()"))) {
              throw ActionFailures.retryable(
                  PostgresFailures.SOURCE_UNAVAILABLE,
                  source.describe()
                      + " is still a standby: promote it before rejoining others to it");
            }
            try (Statement statement = connection.createStatement()) {
              // A recently promoted server's control file still shows the old timeline until a
              // checkpoint; pg_rewind reads it and would wrongly find "no rewind required".
              statement.execute("checkpoint");
            }
            if (slot != null) {
              try (PreparedStatement statement =
                  connection.prepareStatement(
                      "select pg_create_physical_replication_slot(?)"
                          + " where not exists (select 1 from pg_replication_slots where slot_name = ?)")) {
                statement.setString(1, slot);
                statement.setString(2, slot);
                statement.execute();
              }
            }
            return null;
          });
    } catch (ApplicationFailure failure) {
      if (PostgresFailures.SERVER_UNAVAILABLE.equals(failure.getType())) {
        throw ActionFailures.retryable(
            PostgresFailures.SOURCE_UNAVAILABLE, failure.getOriginalMessage());
      }
      throw failure;
    }
  }

  /** Whether the target answers as a standby whose WAL receiver streams from the source's port. */
  private boolean streamsFrom(PostgresTarget target, PostgresTarget source) {
    try {
      return connector.with(
          target,
          "checking the standby",
          PROBE_TIMEOUT,
          connection -> {
            try (Statement statement = connection.createStatement();
                ResultSet rows =
                    statement.executeQuery(
                        "select pg_is_in_recovery(), (select status = 'streaming'"
                            + " and sender_port = "
                            + source.port()
                            + " from pg_stat_wal_receiver)")) {
              rows.next();
              return rows.getBoolean(1) && rows.getBoolean(2);
            }
          });
    } catch (ApplicationFailure failure) {
      if (PostgresFailures.SERVER_UNAVAILABLE.equals(failure.getType())) {
        return false;
      }
      throw failure;
    }
  }

  private void reclone(
      PostgresTarget target, PostgresTarget source, Path data, String serverData, String slot) {
    // The contents move, not the directory: a container's data directory is a mount point.
    Path aside =
        data.resolveSibling(data.getFileName() + ".pre-rejoin-" + System.currentTimeMillis());
    try {
      Files.createDirectory(aside);
      Files.setOwner(aside, Files.getOwner(data));
      try (java.util.stream.Stream<Path> children = Files.list(data)) {
        for (Path child : children.toList()) {
          Files.move(child, aside.resolve(child.getFileName()));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot move the contents of " + data + " aside", e);
    }
    List<String> arguments =
        new ArrayList<>(
            List.of(
                "-D",
                serverData,
                "-R",
                "-X",
                "stream",
                "-c",
                "fast",
                "-d",
                connectionString(source)));
    if (slot != null) {
      arguments.addAll(List.of("-S", slot));
    }
    tools.onServer(target, source, PostgresFailures.TOOL_FAILED, "pg_basebackup", arguments);
  }

  private PostgresRejoinResult finish(
      PostgresTarget target,
      PostgresTarget source,
      String method,
      String divergedAt,
      String rewindFailure,
      Progress progress,
      DataLoss loss) {
    String sourcePosition =
        connector.with(
            source,
            "reading the primary's position",
            connection -> ServerChecks.single(connection, "select pg_current_wal_lsn()"));
    return connector.with(
        target,
        "reading the standby's state",
        connection -> {
          try (Statement statement = connection.createStatement();
              ResultSet rows =
                  statement.executeQuery(
                      "select coalesce((select received_tli from pg_stat_wal_receiver), 0),"
                          + " (select status = 'streaming' from pg_stat_wal_receiver),"
                          + " greatest(0, pg_wal_lsn_diff('"
                          + sourcePosition
                          + "', pg_last_wal_replay_lsn()))::int8")) {
            rows.next();
            return PostgresRejoinResult.of(
                method,
                divergedAt,
                rewindFailure,
                rows.getInt(1),
                rows.getBoolean(2),
                rows.getLong(3),
                progress.elapsedSeconds(),
                loss);
          }
        });
  }

  private static String tail(String log) {
    List<String> lines = log.lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 12), lines.size()));
  }

  /** A libpq connection string without the password (it travels in PGPASSWORD). */
  static String connectionString(PostgresTarget target) {
    return "host="
        + Identifiers.connectionValue(target.host())
        + " port="
        + target.port()
        + " user="
        + Identifiers.connectionValue(target.user())
        + " "
        + Identifiers.databaseArgument(target.database())
        + " sslmode="
        + target.sslMode()
        + " application_name=drctl";
  }
}
