package io.drctl.activities.postgres;

import io.drctl.activities.ActionFailures;
import io.drctl.activities.backup.BackupFailures;
import io.drctl.activities.backup.StoreSession;
import io.drctl.store.StoreException;
import io.drctl.store.catalog.BackupMetadata;
import io.drctl.store.catalog.SelectedBackup;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code postgres.restore}: pg_restore from a downloaded (unpacked) and checksum-verified copy,
 * never visible half-done. The steps, in order: pick the dump; stop the pg_restore processes an
 * earlier attempt left on this host; download it, its SHA-256 checked before the server is touched;
 * make sure the server runs; create a scratch database {@code <db>_drctl_restoring_<random>} of the
 * attempt's own (dropping the ones earlier attempts left, so a retry starts clean; an orphan on
 * another host finds no database of its name: {@link RestoreLeftovers}); pg_restore into it; count
 * its rows; and only then rename the live database aside to {@code <db>_pre_restore_<UTC time>}
 * (the pre-restore safety copy) and the scratch database into its place.
 */
final class LogicalRestore {
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMddHHmmssSSS").withZone(ZoneOffset.UTC);

  private final PostgresConnector connector;
  private final ServerTools tools;

  LogicalRestore(PostgresConnector connector, ServerTools tools) {
    this.connector = connector;
    this.tools = tools;
  }

  /** The checked inputs of one restore: where to, under which name, how. */
  private record Restore(
      PostgresTarget server, String database, Duration readyTimeout, int jobs, Progress progress) {
    static Restore of(PostgresRestoreInput input) {
      PostgresInputs.present("postgres.restore", input);
      PostgresTarget server = PostgresTarget.of(input.targets(), "target", input.target());
      String database =
          input.database() != null
              ? Identifiers.checked("database", input.database())
              : server.database();
      Duration readyTimeout = PostgresInputs.duration("readyTimeout", input.readyTimeout());
      int jobs = (int) PostgresInputs.atLeast("jobs", input.jobs(), 1);
      if (database.length() > 40) {
        throw ActionFailures.invalidInput(
            "database name "
                + database
                + " is longer than 40 characters: the"
                + " scratch and safety copies need room for a suffix within PostgreSQL's 63");
      }
      return new Restore(server, database, readyTimeout, jobs, Progress.of("postgres.restore"));
    }

    /** The server's maintenance database, from which the restored one is created and renamed. */
    PostgresTarget admin() {
      return server.withDatabase("postgres".equals(database) ? "template1" : "postgres");
    }

    /** Where an earlier attempt's downloads and scratch databases are found, by prefix. */
    PostgresTarget leftovers() {
      return server.withDatabase(RestoreLeftovers.scratchPrefix(database));
    }
  }

  /** Rows counted in the restored database. */
  private record Counted(int tables, long rows) {}

  PostgresRestoreResult restore(PostgresRestoreInput input) {
    Restore restore = Restore.of(input);
    Path file = null;
    try (StoreSession store =
        StoreSession.open(input.targets(), "store", input.store(), connector.secrets())) {
      SelectedBackup selected = selectLogical(store, input.from());
      BackupMetadata backup = selected.metadata();
      // Every attempt restores into a scratch database of its own name: a pg_restore an earlier
      // attempt left running on another host, out of this worker's reach, connects again by name
      // and finds nothing there.
      String scratch = RestoreLeftovers.scratchName(restore.database());
      stopOrphans(restore);
      file = freshDownload(backup, restore);
      download(selected, file, restore.progress());
      ensureRunning(
          restore.server(), input.ensureRunning(), restore.readyTimeout(), restore.progress());
      createScratch(restore, scratch, input.dropExisting());
      PostgresTarget restored = restore.server().withDatabase(scratch);
      pgRestore(restored, file, restore.jobs(), restore.progress());
      Counted counted = countRows(restored, restore.progress());
      swapIn(restore, scratch, counted);
      return new PostgresRestoreResult(
          backup.backupId(),
          backup.timestamp().toString(),
          restore.database(),
          counted.tables(),
          counted.rows(),
          restore.progress().elapsedSeconds());
    } catch (StoreException e) {
      throw BackupFailures.of(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      if (file != null) {
        LogicalBackup.deleteQuietly(file);
      }
    }
  }

  /**
   * The dump {@code selector} names; a base backup is refused (it is restored by postgres.pitr).
   */
  private static SelectedBackup selectLogical(StoreSession store, String selector) {
    SelectedBackup selected = LogicalBackup.selectDump(store, selector);
    BackupMetadata backup = selected.metadata();
    if (LogicalBackup.isPhysical(backup)) {
      throw ActionFailures.invalidInput(
          "backup " + backup.backupId() + " is a base backup: restore it with" + " postgres.pitr");
    }
    return selected;
  }

  /**
   * Kills the pg_restore processes an earlier, killed attempt left writing into its scratch
   * database.
   */
  private static void stopOrphans(Restore restore) {
    int orphans = RestoreLeftovers.stopOrphans(restore.server(), restore.database());
    if (orphans > 0) {
      restore
          .progress()
          .beat(
              "killed "
                  + orphans
                  + " pg_restore processes an earlier attempt left writing into "
                  + RestoreLeftovers.scratchPrefix(restore.database())
                  + "*",
              orphans);
    }
  }

  /**
   * A fresh place for the download (a directory for a directory-format dump), an earlier attempt's
   * download there deleted; the caller deletes it when done, whatever happens.
   */
  private static Path freshDownload(BackupMetadata backup, Restore restore) throws IOException {
    return LogicalBackup.isDirectory(backup)
        ? RestoreLeftovers.freshDownloadDirectory(restore.leftovers())
        : RestoreLeftovers.freshDownload(restore.leftovers());
  }

  /**
   * Downloads (and unpacks) the backup into {@code file}; the store checks its SHA-256 to the last
   * byte (BackupCorrupt).
   */
  private static void download(SelectedBackup selected, Path file, Progress progress)
      throws IOException {
    BackupMetadata backup = selected.metadata();
    String phase = "downloading " + backup.backupId();
    try (InputStream in = selected.catalog().open(backup)) {
      if (LogicalBackup.isDirectory(backup)) {
        DumpDirectory.extract(in, file, progress, phase);
      } else {
        DumpDirectory.copy(in, file, progress, phase);
      }
    }
  }

  /**
   * Drops the scratch databases earlier attempts left and creates {@code scratch} empty; refuses a
   * live database with user tables unless {@code dropExisting}.
   */
  private void createScratch(Restore restore, String scratch, boolean dropExisting) {
    String database = restore.database();
    connector.with(
        restore.admin(),
        "preparing the scratch database",
        connection -> {
          if (!dropExisting
              && exists(connection, database)
              && hasUserTables(restore.server().withDatabase(database))) {
            throw ActionFailures.nonRetryable(
                "DatabaseNotEmpty",
                "database "
                    + database
                    + " on "
                    + restore.server().describe()
                    + " has user tables and dropExisting is false");
          }
          try (Statement statement = connection.createStatement()) {
            for (String earlier : RestoreLeftovers.scratchDatabases(connection, database)) {
              statement.execute(
                  "drop database if exists " + Identifiers.quote(earlier) + " with (force)");
            }
            statement.execute(
                "create database " + Identifiers.quote(scratch) + " template template0");
          }
          return null;
        });
  }

  private void pgRestore(PostgresTarget scratch, Path file, int jobs, Progress progress) {
    List<String> argv =
        new ArrayList<>(
            List.of(
                connector.options().tool("pg_restore").toString(),
                "--exit-on-error",
                "--no-password",
                "-j",
                String.valueOf(jobs)));
    argv.addAll(LogicalBackup.connectionArguments(scratch));
    argv.add(file.toString());
    StreamedTool.run(
        argv,
        connector.toolEnvironment(scratch),
        connector.password(scratch),
        OutputStream.nullOutputStream(),
        progress,
        "pg_restore into " + scratch.database(),
        "RestoreFailed");
  }

  private Counted countRows(PostgresTarget restored, Progress progress) {
    return connector.with(
        restored,
        "counting restored rows",
        connection -> {
          long rows = 0;
          List<TableName> tables = TableStats.userTables(connection);
          for (TableName table : tables) {
            progress.beat("counting " + table, rows);
            rows += TableStats.of(connection, table, false).rows();
          }
          return new Counted(tables.size(), rows);
        });
  }

  /**
   * Renames the live database (its sessions ended) aside to {@code <db>_pre_restore_<UTC time>},
   * the pre-restore safety copy, and {@code scratch} into its place.
   */
  private void swapIn(Restore restore, String scratch, Counted counted) {
    String database = restore.database();
    restore.progress().beat("swapping " + scratch + " into " + database, counted.rows());
    String aside = database + "_pre_restore_" + STAMP.format(Instant.now());
    connector.with(
        restore.admin(),
        "swapping in the restored database",
        connection -> {
          try (Statement statement = connection.createStatement()) {
            if (exists(connection, database)) {
              try (PreparedStatement terminate =
                  connection.prepareStatement(
                      "select pg_terminate_backend(pid)"
                          + " from pg_stat_activity where datname = ? and pid <> pg_backend_pid()")) {
                terminate.setString(1, database);
                terminate.execute();
              }
              statement.execute(
                  "alter database "
                      + Identifiers.quote(database)
                      + " rename to "
                      + Identifiers.quote(aside));
            }
            statement.execute(
                "alter database "
                    + Identifiers.quote(scratch)
                    + " rename to "
                    + Identifiers.quote(database));
          }
          return null;
        });
  }

  /** Waits until the server accepts connections, starting its container once when {@code start}. */
  private void ensureRunning(
      PostgresTarget server, boolean start, Duration timeout, Progress progress) {
    long deadline = System.nanoTime() + timeout.toNanos();
    boolean started = false;
    int polls = 0;
    while (true) {
      try {
        connector.with(server, "connecting", Duration.ofSeconds(3), connection -> null);
        return;
      } catch (ApplicationFailure failure) {
        if (!PostgresFailures.SERVER_UNAVAILABLE.equals(failure.getType())) {
          throw failure;
        }
        if (start && !started && server.container() != null) {
          tools.startContainer(server);
          started = true;
        } else if (!start || System.nanoTime() > deadline) {
          throw failure;
        }
      }
      progress.pause(
          connector.options().pollInterval(),
          "waiting for " + server.name() + " to accept connections",
          ++polls);
    }
  }

  private boolean hasUserTables(PostgresTarget database) {
    return connector.with(
        database,
        "looking for user tables",
        connection -> !TableStats.userTables(connection).isEmpty());
  }

  private static boolean exists(Connection connection, String database) throws SQLException {
    try (var statement =
        connection.prepareStatement("select 1 from pg_database where datname = ?")) {
      statement.setString(1, database);
      try (var rows = statement.executeQuery()) {
        return rows.next();
      }
    }
  }
}
