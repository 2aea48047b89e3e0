package io.drctl.activities.postgres;

import io.drctl.activities.backup.BackupSelector;
import io.drctl.activities.backup.StoreSession;
import io.drctl.activities.ActionFailures;
import io.drctl.activities.backup.BackupFailures;
import io.drctl.activities.backup.BackupSchedules;
import io.drctl.store.StoreException;
import io.drctl.store.catalog.BackupMetadata;
import io.drctl.store.catalog.SelectedBackup;
import io.drctl.store.catalog.BackupRequest;
import io.drctl.store.catalog.BackupType;
import io.drctl.store.catalog.PendingBackup;
import io.drctl.store.pipeline.Compression;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * {@code postgres.dump} and {@code postgres.restore}: pg_dump -Fc streamed into the backup store
 * (or pg_dump -Fd -j into a private temporary directory, stored as one tar), pg_restore from a
 * downloaded (unpacked) and checksum-verified copy.
 *
 * <p>Dump: a REPEATABLE READ transaction exports its snapshot; pg_dump dumps exactly that
 * snapshot ({@code --snapshot}) and the row counts and fingerprints recorded in the metadata are
 * read in the same snapshot, so they describe the dump exactly. The archive is already compressed
 * by pg_dump, so the store keeps it as is (hashing only).
 *
 * <p>Restore: never visible half-done. The backup is downloaded and its SHA-256 checked before the
 * server is touched; pg_restore fills a scratch database {@code <db>_drctl_restoring_<random>} of
 * the attempt's own (every attempt drops the ones earlier attempts left, so a retry after a crash
 * starts clean, once it has killed any pg_restore a killed attempt left running on this host and
 * deleted its download; an orphan on another host finds no database of its name: {@link
 * RestoreLeftovers}); only at the end is the live
 * database renamed aside to {@code <db>_pre_restore_<UTC time>} (the pre-restore safety copy) and
 * the scratch database renamed into its place.
 */
final class LogicalBackup {
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmssSSS").withZone(ZoneOffset.UTC);
  /** The catalog format of a pg_dump backup, custom or directory (BackupKinds.format). */
  private static final String DUMP_FORMAT = "dump";

  private final PostgresConnector connector;
  private final ServerTools tools;

  LogicalBackup(PostgresConnector connector, ServerTools tools) {
    this.connector = connector;
    this.tools = tools;
  }

  PostgresDumpResult dump(PostgresDumpInput input) {
    PostgresInputs.present("postgres.dump", input);
    PostgresTarget target = PostgresTarget.of(input.targets(), "target", input.target())
        .withDatabase("database", input.database());
    DumpFormat format = DumpFormat.of(input.format(), input.jobs());
    if (input.compression() < 0 || input.compression() > 9) {
      throw ActionFailures.invalidInput("compression must be 0-9, was " + input.compression());
    }
    BackupType type = BackupSchedules.of(input.schedule());
    Progress progress = Progress.of("postgres.dump");
    progress.beat("opening the store", 0);
    try (StoreSession store = StoreSession.open(input.targets(), "store", input.store(), connector.secrets())) {
      Dumped dumped = dumpInto(store, target, BackupRequest.of(PostgresActivities.BACKUP_SERVICE, type,
          format.extension()).withNotes(input.label()), List.of(), input.schemaOnly(), input.compression(),
          input.fingerprints(), format, progress);
      BackupMetadata metadata = dumped.metadata();
      return new PostgresDumpResult(metadata.backupId(), metadata.timestamp().toString(), metadata.sizeBytes(),
          metadata.checksum(), progress.elapsedSeconds(), store.location(metadata), target.database(),
          dumped.tables(), dumped.rows());
    } catch (StoreException e) {
      throw BackupFailures.of(e);
    }
  }

  /** A stored dump and what was counted in its snapshot. */
  record Dumped(BackupMetadata metadata, int tables, long rows) {}

  /**
   * pg_dump's output format: one custom-format archive on stdout ({@code -Fc}, one process), or a
   * directory written by {@code jobs} processes ({@code -Fd -j}), stored as a tar ({@link
   * DumpDirectory}).
   */
  record DumpFormat(boolean directory, int jobs) {
    static final DumpFormat CUSTOM = new DumpFormat(false, 1);

    /** The catalog's {@code format} and {@code jobs}, checked. */
    static DumpFormat of(String format, int jobs) {
      if (!"custom".equals(format) && !"directory".equals(format)) {
        throw ActionFailures.invalidInput("format must be custom or directory, was " + format);
      }
      if (jobs < 1 || jobs > 16) {
        throw ActionFailures.invalidInput("jobs must be 1-16, was " + jobs);
      }
      if (jobs > 1 && "custom".equals(format)) {
        throw ActionFailures.invalidInput("jobs " + jobs + " needs format directory: pg_dump writes a custom-format"
            + " archive with one process");
      }
      return new DumpFormat("directory".equals(format), jobs);
    }

    /** The stored file's extension, which tells a restore the format. */
    String extension() {
      return directory ? DumpDirectory.FORMAT : "dump";
    }
  }

  /** The dump below in the custom format ({@link DumpFormat#CUSTOM}). */
  Dumped dumpInto(StoreSession store, PostgresTarget target, BackupRequest request, List<TableName> tables,
      boolean schemaOnly, int compression, boolean withFingerprints, Progress progress) {
    return dumpInto(store, target, request, tables, schemaOnly, compression, withFingerprints, DumpFormat.CUSTOM,
        progress);
  }

  /**
   * pg_dump of {@code target}'s database (only {@code tables} when not empty) in {@code format}
   * into the store under {@code request} (its id, type, notes and extension, which must be {@code
   * format}'s), with row counts and fingerprints read in the dump's own snapshot. The directory
   * format is written into a private temporary directory, deleted whatever happens (or, after the
   * worker was killed, by the next such dump on this host), and stored as one tar once pg_dump has
   * finished.
   */
  Dumped dumpInto(StoreSession store, PostgresTarget target, BackupRequest request, List<TableName> tables,
      boolean schemaOnly, int compression, boolean withFingerprints, DumpFormat format, Progress progress) {
    if (!format.extension().equals(request.format())) {
      throw new IllegalArgumentException("a " + format + " dump is stored as " + format.extension() + ", not "
          + request.format());
    }
    Path directory = null;
    try (Connection snapshot = connector.open(target, connector.options().connectTimeout())) {
      snapshot.setAutoCommit(false);
      try (Statement statement = snapshot.createStatement()) {
        statement.execute("set transaction isolation level repeatable read, read only");
      }
      String snapshotId = ServerChecks.single(snapshot, "select pg_export_snapshot()");
      String version = ServerChecks.single(snapshot, "show server_version");
      BackupRequest complete = request.withCompression(Compression.NONE, 0)
          .withTimestamp(Instant.now())
          .withSource(new BackupMetadata.Source(target.host() + ":" + target.port(), target.database(), version));
      try (PendingBackup pending = store.catalog().begin(complete)) {
        List<String> argv = new ArrayList<>(List.of(connector.options().tool("pg_dump").toString()));
        if (format.directory()) {
          directory = OwnedTempDirectory.create("drctl-dump-");
          argv.addAll(List.of("-Fd", "-j", String.valueOf(format.jobs()), "-f", directory.resolve("dump").toString()));
        } else {
          argv.add("-Fc");
        }
        argv.addAll(List.of("-Z", String.valueOf(compression), "--snapshot=" + snapshotId, "--no-password"));
        if (schemaOnly) {
          argv.add("--schema-only");
        }
        for (TableName table : tables) {
          if (!TableStats.exists(snapshot, table)) {
            throw ActionFailures.nonRetryable(PostgresFailures.TABLE_MISSING, "table " + table
                + " does not exist on " + target.describe());
          }
          argv.addAll(List.of("-t", table.quoted()));
        }
        argv.addAll(connectionArguments(target));
        // Row counts and fingerprints are read in the dump's snapshot on the exporting connection
        // while pg_dump streams on its own: the two overlap instead of adding up.
        List<TableName> counted = tables.isEmpty() ? TableStats.userTables(snapshot) : tables;
        FutureTask<Map<String, BackupMetadata.TableFingerprint>> counting =
            new FutureTask<>(() -> fingerprints(snapshot, counted, withFingerprints));
        Thread counter = new Thread(counting, "postgres-dump-fingerprints");
        counter.setDaemon(true);
        counter.start();
        if (format.directory()) {
          Path written = directory.resolve("dump");
          // Every file pg_dump -Fd writes is compressed by pg_dump itself: the store hashes the tar only.
          StreamedTool.run(argv, connector.toolEnvironment(target), connector.password(target),
              OutputStream.nullOutputStream(), progress.measuring(() -> DumpDirectory.size(written)),
              "dumping " + target.database() + " with " + format.jobs() + " jobs", PostgresFailures.TOOL_FAILED);
          DumpDirectory.tar(written, pending.stream(), progress, "storing the dump directory");
        } else {
          StreamedTool.run(argv, connector.toolEnvironment(target), connector.password(target), pending.stream(),
              progress, "dumping " + target.database(), PostgresFailures.TOOL_FAILED);
        }
        progress.beat("counting rows of " + counted.size() + " tables", 0);
        Map<String, BackupMetadata.TableFingerprint> fingerprints = awaitFingerprints(counting);
        long rows = fingerprints.values().stream().mapToLong(BackupMetadata.TableFingerprint::rowCount).sum();
        pending.fingerprints(fingerprints);
        BackupMetadata metadata = pending.commit();
        snapshot.rollback();
        return new Dumped(metadata, fingerprints.size(), rows);
      }
    } catch (SQLException e) {
      throw PostgresFailures.of(target, "dumping", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      if (directory != null) {
        deleteQuietly(directory);
      }
    }
  }

  /** Deletes a temporary file or directory; a failure to do so does not change the outcome. */
  private static void deleteQuietly(Path path) {
    try {
      DumpDirectory.delete(path);
    } catch (IOException e) {
      // A leftover in the temp directory (owner-only) is harmless; the action's outcome stands.
    }
  }

  private static Map<String, BackupMetadata.TableFingerprint> fingerprints(Connection snapshot, List<TableName> tables,
      boolean withFingerprints) throws SQLException {
    Map<String, BackupMetadata.TableFingerprint> fingerprints = new LinkedHashMap<>();
    for (TableName table : tables) {
      TableStats.Stats stats = TableStats.of(snapshot, table, withFingerprints);
      fingerprints.put(table.toString(), new BackupMetadata.TableFingerprint(stats.rows(),
          withFingerprints ? stats.fingerprint() : null));
    }
    return fingerprints;
  }

  private static Map<String, BackupMetadata.TableFingerprint> awaitFingerprints(
      FutureTask<Map<String, BackupMetadata.TableFingerprint>> counting) throws SQLException {
    try {
      return counting.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("interrupted while counting rows", "57014", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof SQLException sql) {
        throw sql;
      }
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  PostgresRestoreResult restore(PostgresRestoreInput input) {
    PostgresInputs.present("postgres.restore", input);
    PostgresTarget server = PostgresTarget.of(input.targets(), "target", input.target());
    String database = input.database() != null ? Identifiers.checked("database", input.database())
        : server.database();
    Duration readyTimeout = PostgresInputs.duration("readyTimeout", input.readyTimeout());
    int jobs = (int) PostgresInputs.atLeast("jobs", input.jobs(), 1);
    if (database.length() > 40) {
      throw ActionFailures.invalidInput("database name " + database + " is longer than 40 characters: the"
          + " scratch and safety copies need room for a suffix within PostgreSQL's 63");
    }
    Progress progress = Progress.of("postgres.restore");
    Path file = null;
    try (StoreSession store = StoreSession.open(input.targets(), "store", input.store(), connector.secrets())) {
      SelectedBackup selected = selectDump(store, input.from());
      BackupMetadata backup = selected.metadata();
      if (isPhysical(backup)) {
        throw ActionFailures.invalidInput("backup " + backup.backupId() + " is a base backup: restore it with"
            + " postgres.pitr");
      }
      // Every attempt restores into a scratch database of its own name: a pg_restore an earlier
      // attempt left running on another host, out of this worker's reach, connects again by name
      // and finds nothing there.
      String scratch = RestoreLeftovers.scratchName(database);
      PostgresTarget scratchTarget = server.withDatabase(scratch);
      PostgresTarget leftovers = server.withDatabase(RestoreLeftovers.scratchPrefix(database));
      int orphans = RestoreLeftovers.stopOrphans(server, database);
      if (orphans > 0) {
        progress.beat("killed " + orphans + " pg_restore processes an earlier attempt left writing into "
            + RestoreLeftovers.scratchPrefix(database) + "*", orphans);
      }
      // Checked (SHA-256) to its last byte before the server is touched.
      if (isDirectory(backup)) {
        file = RestoreLeftovers.freshDownloadDirectory(leftovers);
        try (InputStream in = selected.catalog().open(backup)) {
          DumpDirectory.extract(in, file, progress, "downloading " + backup.backupId());
        }
      } else {
        file = RestoreLeftovers.freshDownload(leftovers);
        download(selected, file, progress);
      }

      ensureRunning(server, input.ensureRunning(), readyTimeout, progress);
      PostgresTarget admin = server.withDatabase("postgres".equals(database) ? "template1" : "postgres");
      connector.with(admin, "preparing the scratch database", connection -> {
        if (!input.dropExisting() && exists(connection, database) && hasUserTables(server.withDatabase(database))) {
          throw ActionFailures.nonRetryable("DatabaseNotEmpty", "database " + database + " on " + server.describe()
              + " has user tables and dropExisting is false");
        }
        try (Statement statement = connection.createStatement()) {
          for (String earlier : RestoreLeftovers.scratchDatabases(connection, database)) {
            statement.execute("drop database if exists " + Identifiers.quote(earlier) + " with (force)");
          }
          statement.execute("create database " + Identifiers.quote(scratch) + " template template0");
        }
        return null;
      });
      List<String> argv = new ArrayList<>(List.of(connector.options().tool("pg_restore").toString(),
          "--exit-on-error", "--no-password", "-j", String.valueOf(jobs)));
      argv.addAll(connectionArguments(scratchTarget));
      argv.add(file.toString());
      StreamedTool.run(argv, connector.toolEnvironment(scratchTarget), connector.password(scratchTarget), OutputStream.nullOutputStream(),
          progress, "pg_restore into " + scratch, "RestoreFailed");

      long[] counts = connector.with(scratchTarget, "counting restored rows", connection -> {
        long rows = 0;
        List<TableName> tables = TableStats.userTables(connection);
        for (TableName table : tables) {
          progress.beat("counting " + table, rows);
          rows += TableStats.of(connection, table, false).rows();
        }
        return new long[] {tables.size(), rows};
      });
      progress.beat("swapping " + scratch + " into " + database, counts[1]);
      String aside = database + "_pre_restore_" + STAMP.format(Instant.now());
      connector.with(admin, "swapping in the restored database", connection -> {
        try (Statement statement = connection.createStatement()) {
          if (exists(connection, database)) {
            try (PreparedStatement terminate = connection.prepareStatement("select pg_terminate_backend(pid)"
                + " from pg_stat_activity where datname = ? and pid <> pg_backend_pid()")) {
              terminate.setString(1, database);
              terminate.execute();
            }
            statement.execute("alter database " + Identifiers.quote(database) + " rename to "
                + Identifiers.quote(aside));
          }
          statement.execute("alter database " + Identifiers.quote(scratch) + " rename to "
              + Identifiers.quote(database));
        }
        return null;
      });
      return new PostgresRestoreResult(backup.backupId(), backup.timestamp().toString(), database, (int) counts[0],
          counts[1], progress.elapsedSeconds());
    } catch (StoreException e) {
      throw BackupFailures.of(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      if (file != null) {
        deleteQuietly(file);
      }
    }
  }

  /** {@link #select} of a logical backup: selector words pick among dumps only. */
  static SelectedBackup selectDump(StoreSession store, String selector) {
    return select(store, selector, DUMP_FORMAT);
  }

  /**
   * The PostgreSQL backup {@code selector} names, with the catalog to read it from, by the
   * catalog's one grammar ({@link BackupSelector}): a selector word ({@code latest}, {@code weekly},
   * {@code manual}, {@code YYYYMMDD}, {@code s3}, ...) picks the newest usable backup of {@code
   * format}; an exact id names any backup, which callers refuse with their own reason when it is
   * of the wrong kind. A corrupt backup is never chosen ({@code BackupCorrupt} when named).
   */
  static SelectedBackup select(StoreSession store, String selector, String format) {
    BackupMetadata backup = new BackupSelector(PostgresActivities.BACKUP_SERVICE,
        BackupSelector.isSelectorWord(selector) ? format : null, null, false)
        .select(selector, store.catalog().list(PostgresActivities.BACKUP_SERVICE), store.name(), store.config().kind());
    return new SelectedBackup(store.catalog(), backup);
  }

  /** Whether the backup is a pg_dump directory-format archive stored as a tar ({@link DumpDirectory}). */
  static boolean isDirectory(BackupMetadata backup) {
    return !backup.files().isEmpty() && backup.dataFile().endsWith("." + DumpDirectory.FORMAT);
  }

  static boolean isPhysical(BackupMetadata backup) {
    return backup.wal() != null || backup.type() == BackupType.BASEBACKUP;
  }

  /** Downloads the backup to {@code file}; the store checks its SHA-256 at the end (BackupCorrupt). */
  private static void download(SelectedBackup selected, Path file, Progress progress) throws IOException {
    BackupMetadata backup = selected.metadata();
    try (InputStream in = selected.catalog().open(backup)) {
      DumpDirectory.copy(in, file, progress, "downloading " + backup.backupId());
    }
  }

  private void ensureRunning(PostgresTarget server, boolean start, Duration timeout, Progress progress) {
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
      progress.pause(connector.options().pollInterval(), "waiting for " + server.name() + " to accept connections",
          ++polls);
    }
  }

  private boolean hasUserTables(PostgresTarget database) {
    return connector.with(database, "looking for user tables", connection -> !TableStats.userTables(connection).isEmpty());
  }

  private static boolean exists(Connection connection, String database) throws SQLException {
    try (var statement = connection.prepareStatement("select 1 from pg_database where datname = ?")) {
      statement.setString(1, database);
      try (var rows = statement.executeQuery()) {
        return rows.next();
      }
    }
  }

  static List<String> connectionArguments(PostgresTarget target) {
    return List.of("-h", target.host(), "-p", String.valueOf(target.port()), "-U", target.user(),
        "-d", Identifiers.databaseArgument(target.database()));
  }
}
