package io.drctl.activities.postgres;

import io.drctl.activities.ActionFailures;
import io.drctl.activities.backup.BackupFailures;
import io.drctl.activities.backup.BackupSchedules;
import io.drctl.activities.backup.BackupSelector;
import io.drctl.activities.backup.StoreSession;
import io.drctl.activities.process.OwnedTempDirectory;
import io.drctl.store.StoreException;
import io.drctl.store.catalog.BackupMetadata;
import io.drctl.store.catalog.BackupRequest;
import io.drctl.store.catalog.BackupType;
import io.drctl.store.catalog.PendingBackup;
import io.drctl.store.catalog.SelectedBackup;
import io.drctl.store.local.LocalDirectories;
import io.drctl.store.pipeline.Compression;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * {@code postgres.dump}: pg_dump -Fc streamed into the backup store (or pg_dump -Fd -j into a
 * private temporary directory, stored as one tar), and the selection of dumps that {@link
 * LogicalRestore} and the other readers of dumps share.
 *
 * <p>Dump: a REPEATABLE READ transaction exports its snapshot; pg_dump dumps exactly that snapshot
 * ({@code --snapshot}) and the row counts and fingerprints recorded in the metadata are read in the
 * same snapshot, so they describe the dump exactly. The archive is already compressed by pg_dump,
 * so the store keeps it as is (hashing only).
 */
final class LogicalBackup {
  /** The catalog format of a pg_dump backup, custom or directory (BackupKinds.format). */
  private static final String DUMP_FORMAT = "dump";

  private final PostgresConnector connector;

  LogicalBackup(PostgresConnector connector) {
    this.connector = connector;
  }

  PostgresDumpResult dump(PostgresDumpInput input) {
    PostgresInputs.present("postgres.dump", input);
    PostgresTarget target =
        PostgresTarget.of(input.targets(), "target", input.target())
            .withDatabase("database", input.database());
    DumpFormat format = DumpFormat.of(input.format(), input.jobs());
    if (input.compression() < 0 || input.compression() > 9) {
      throw ActionFailures.invalidInput("compression must be 0-9, was " + input.compression());
    }
    BackupType type = BackupSchedules.of(input.schedule());
    Progress progress = Progress.of("postgres.dump");
    progress.beat("opening the store", 0);
    try (StoreSession store =
        StoreSession.open(input.targets(), "store", input.store(), connector.secrets())) {
      BackupRequest backup =
          BackupRequest.of(PostgresActivities.BACKUP_SERVICE, type, format.extension())
              .withNotes(input.label());
      Dumped dumped =
          dumpInto(
              new DumpRequest(
                  store,
                  target,
                  backup,
                  List.of(),
                  input.schemaOnly(),
                  input.compression(),
                  input.fingerprints(),
                  format),
              progress);
      BackupMetadata metadata = dumped.metadata();
      return new PostgresDumpResult(
          metadata.backupId(),
          metadata.timestamp().toString(),
          metadata.sizeBytes(),
          metadata.checksum(),
          progress.elapsedSeconds(),
          store.location(metadata),
          target.database(),
          dumped.tables(),
          dumped.rows());
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
        throw ActionFailures.invalidInput(
            "jobs "
                + jobs
                + " needs format directory: pg_dump writes a custom-format"
                + " archive with one process");
      }
      return new DumpFormat("directory".equals(format), jobs);
    }

    /** The stored file's extension, which tells a restore the format. */
    String extension() {
      return directory ? DumpDirectory.FORMAT : "dump";
    }
  }

  /**
   * One pg_dump into the store: {@code target}'s database (only {@code tables} when not empty) in
   * {@code format} under {@code backup} (its id, type, notes and extension, which must be {@code
   * format}'s), with row counts, and fingerprints when {@code withFingerprints}, read in the dump's
   * own snapshot.
   *
   * @param compression pg_dump's {@code -Z}, 0-9
   */
  record DumpRequest(
      StoreSession store,
      PostgresTarget target,
      BackupRequest backup,
      List<TableName> tables,
      boolean schemaOnly,
      int compression,
      boolean withFingerprints,
      DumpFormat format) {
    DumpRequest {
      tables = List.copyOf(tables);
      if (!format.extension().equals(backup.format())) {
        throw new IllegalArgumentException(
            "a "
                + format
                + " dump is stored as "
                + format.extension()
                + ", not "
                + backup.format());
      }
    }

    /**
     * The pre-restore safety copy: a custom-format dump of {@code tables} (all when empty),
     * fingerprinted.
     */
    static DumpRequest safetyCopy(
        StoreSession store, PostgresTarget target, BackupRequest backup, List<TableName> tables) {
      return new DumpRequest(store, target, backup, tables, false, 6, true, DumpFormat.CUSTOM);
    }
  }

  /**
   * Runs {@code request}. The directory format is written into a private temporary directory,
   * deleted whatever happens (or, after the worker was killed, by the next such dump on this host),
   * and stored as one tar once pg_dump has finished.
   */
  Dumped dumpInto(DumpRequest request, Progress progress) {
    PostgresTarget target = request.target();
    Path directory = null;
    try (Connection snapshot = connector.open(target, connector.options().connectTimeout())) {
      String snapshotId = exportSnapshot(snapshot);
      String version = ServerChecks.single(snapshot, "show server_version");
      BackupRequest complete =
          request
              .backup()
              .withCompression(Compression.NONE, 0)
              .withTimestamp(Instant.now())
              .withSource(
                  new BackupMetadata.Source(
                      target.host() + ":" + target.port(), target.database(), version));
      try (PendingBackup pending = request.store().catalog().begin(complete)) {
        if (request.format().directory()) {
          directory = OwnedTempDirectory.create("drctl-dump-");
        }
        List<String> argv = pgDumpArguments(request, snapshot, snapshotId, directory);
        // Row counts and fingerprints are read in the dump's snapshot on the exporting connection
        // while pg_dump streams on its own: the two overlap instead of adding up.
        List<TableName> counted =
            request.tables().isEmpty() ? TableStats.userTables(snapshot) : request.tables();
        FutureTask<Map<String, BackupMetadata.TableFingerprint>> counting =
            startCounting(snapshot, counted, request.withFingerprints());
        runPgDump(request, argv, directory, pending, progress);
        progress.beat("counting rows of " + counted.size() + " tables", 0);
        Map<String, BackupMetadata.TableFingerprint> fingerprints = awaitFingerprints(counting);
        long rows =
            fingerprints.values().stream()
                .mapToLong(BackupMetadata.TableFingerprint::rowCount)
                .sum();
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

  /**
   * Opens a read-only REPEATABLE READ transaction on {@code snapshot} and exports its snapshot for
   * pg_dump.
   */
  private static String exportSnapshot(Connection snapshot) throws SQLException {
    snapshot.setAutoCommit(false);
    try (Statement statement = snapshot.createStatement()) {
      statement.execute("set transaction isolation level repeatable read, read only");
    }
    return ServerChecks.single(snapshot, "select pg_export_snapshot()");
  }

  /**
   * pg_dump's command line for {@code request} in {@code snapshotId}, writing into {@code
   * directory} (the directory format) or to stdout; a named table that does not exist is refused
   * (TableMissing).
   */
  private List<String> pgDumpArguments(
      DumpRequest request, Connection snapshot, String snapshotId, Path directory)
      throws SQLException {
    List<String> argv = new ArrayList<>(List.of(connector.options().tool("pg_dump").toString()));
    if (request.format().directory()) {
      argv.addAll(
          List.of(
              "-Fd",
              "-j",
              String.valueOf(request.format().jobs()),
              "-f",
              directory.resolve("dump").toString()));
    } else {
      argv.add("-Fc");
    }
    argv.addAll(
        List.of(
            "-Z",
            String.valueOf(request.compression()),
            "--snapshot=" + snapshotId,
            "--no-password"));
    if (request.schemaOnly()) {
      argv.add("--schema-only");
    }
    for (TableName table : request.tables()) {
      if (!TableStats.exists(snapshot, table)) {
        throw ActionFailures.nonRetryable(
            PostgresFailures.TABLE_MISSING,
            "table " + table + " does not exist on " + request.target().describe());
      }
      argv.addAll(List.of("-t", table.quoted()));
    }
    argv.addAll(connectionArguments(request.target()));
    return argv;
  }

  /** Counts (and fingerprints) {@code tables} on {@code snapshot} on a thread of its own. */
  private static FutureTask<Map<String, BackupMetadata.TableFingerprint>> startCounting(
      Connection snapshot, List<TableName> tables, boolean withFingerprints) {
    FutureTask<Map<String, BackupMetadata.TableFingerprint>> counting =
        new FutureTask<>(() -> fingerprints(snapshot, tables, withFingerprints));
    Thread counter = new Thread(counting, "postgres-dump-fingerprints");
    counter.setDaemon(true);
    counter.start();
    return counting;
  }

  /**
   * Runs pg_dump into the pending backup: its stdout streamed, or its directory stored as one tar.
   */
  private void runPgDump(
      DumpRequest request,
      List<String> argv,
      Path directory,
      PendingBackup pending,
      Progress progress)
      throws IOException {
    PostgresTarget target = request.target();
    if (request.format().directory()) {
      Path written = directory.resolve("dump");
      // Every file pg_dump -Fd writes is compressed by pg_dump itself: the store hashes the tar
      // only.
      StreamedTool.run(
          argv,
          connector.toolEnvironment(target),
          connector.password(target),
          OutputStream.nullOutputStream(),
          progress.measuring(() -> DumpDirectory.size(written)),
          "dumping " + target.database() + " with " + request.format().jobs() + " jobs",
          PostgresFailures.TOOL_FAILED);
      DumpDirectory.tar(written, pending.stream(), progress, "storing the dump directory");
    } else {
      StreamedTool.run(
          argv,
          connector.toolEnvironment(target),
          connector.password(target),
          pending.stream(),
          progress,
          "dumping " + target.database(),
          PostgresFailures.TOOL_FAILED);
    }
  }

  /** Deletes a temporary file or directory; a failure to do so does not change the outcome. */
  static void deleteQuietly(Path path) {
    try {
      LocalDirectories.deleteRecursively(path);
    } catch (IOException e) {
      // A leftover in the temp directory (owner-only) is harmless; the action's outcome stands.
    }
  }

  private static Map<String, BackupMetadata.TableFingerprint> fingerprints(
      Connection snapshot, List<TableName> tables, boolean withFingerprints) throws SQLException {
    Map<String, BackupMetadata.TableFingerprint> fingerprints = new LinkedHashMap<>();
    for (TableName table : tables) {
      TableStats.Stats stats = TableStats.of(snapshot, table, withFingerprints);
      fingerprints.put(
          table.toString(),
          new BackupMetadata.TableFingerprint(
              stats.rows(), withFingerprints ? stats.fingerprint() : null));
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

  /** {@link #select} of a logical backup: selector words pick among dumps only. */
  static SelectedBackup selectDump(StoreSession store, String selector) {
    return select(store, selector, DUMP_FORMAT);
  }

  /**
   * The PostgreSQL backup {@code selector} names, with the catalog to read it from, by the
   * catalog's one grammar ({@link BackupSelector}): a selector word ({@code latest}, {@code
   * weekly}, {@code manual}, {@code YYYYMMDD}, {@code s3}, ...) picks the newest usable backup of
   * {@code format}; an exact id names any backup, which callers refuse with their own reason when
   * it is of the wrong kind. A corrupt backup is never chosen ({@code BackupCorrupt} when named).
   */
  static SelectedBackup select(StoreSession store, String selector, String format) {
    BackupMetadata backup =
        new BackupSelector(
                PostgresActivities.BACKUP_SERVICE,
                BackupSelector.isSelectorWord(selector) ? format : null,
                null,
                false)
            .select(
                selector,
                store.catalog().list(PostgresActivities.BACKUP_SERVICE),
                store.name(),
                store.config().kind());
    return new SelectedBackup(store.catalog(), backup);
  }

  /**
   * Whether the backup is a pg_dump directory-format archive stored as a tar ({@link
   * DumpDirectory}).
   */
  static boolean isDirectory(BackupMetadata backup) {
    return !backup.files().isEmpty() && backup.dataFile().endsWith("." + DumpDirectory.FORMAT);
  }

  static boolean isPhysical(BackupMetadata backup) {
    return backup.wal() != null || backup.type() == BackupType.BASEBACKUP;
  }

  static List<String> connectionArguments(PostgresTarget target) {
    return List.of(
        "-h",
        target.host(),
        "-p",
        String.valueOf(target.port()),
        "-U",
        target.user(),
        "-d",
        Identifiers.databaseArgument(target.database()));
  }
}
