package io.drctl.activities.postgres;

import io.drctl.activities.ActionFailures;
import io.drctl.activities.backup.StoreSession;
import io.drctl.activities.process.OwnedTempDirectory;
import io.drctl.store.catalog.BackupMetadata;
import io.drctl.store.catalog.SelectedBackup;
import io.drctl.store.local.LocalDirectories;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The schema recorded in a stored logical backup ({@code pg_dump -Fc}, or {@code -Fd} stored as a
 * tar), as {@code pg_restore --schema-only} prints it: the same DDL that {@code pg_dump
 * --schema-only} prints for a live database. The stored archive is streamed from the store into
 * pg_restore's stdin (no local copy): pg_restore reads a custom archive sequentially and, for the
 * schema, stops after its table of contents; the rest of the stream is still read, so that the
 * store checks the SHA-256 of the whole backup ({@code BackupCorruptException}, and the backup is
 * marked CORRUPT).
 */
final class BackupSchema {
  private final PostgresOptions options;

  BackupSchema(PostgresOptions options) {
    this.options = options;
  }

  /**
   * The logical backup {@code selector} names: {@code latest} is the newest selectable dump (base
   * backups skipped); anything else is the catalog's selector. A base backup is refused as invalid
   * input, since it records no schema.
   */
  static SelectedBackup select(StoreSession store, String selector) {
    SelectedBackup selected = LogicalBackup.selectDump(store, selector);
    BackupMetadata backup = selected.metadata();
    if (LogicalBackup.isPhysical(backup)) {
      throw ActionFailures.invalidInput(
          "backupId "
              + selector
              + ": backup "
              + backup.backupId()
              + " is a base backup"
              + " (pg_basebackup, type "
              + backup.type().name().toLowerCase(Locale.ROOT)
              + ", files "
              + String.join(", ", backup.files())
              + "), which records no schema to compare with; name a logical"
              + " backup taken with postgres.dump");
    }
    return selected;
  }

  /**
   * The schema DDL of {@code backup}, read through the store (SHA-256 checked at the end: a
   * mismatch throws {@code BackupCorruptException}, for the caller to classify).
   */
  String ddl(SelectedBackup backup, Progress progress) {
    if (LogicalBackup.isDirectory(backup.metadata())) {
      return directoryDdl(backup, progress);
    }
    List<String> argv = List.of(options.tool("pg_restore").toString(), "--schema-only", "-f", "-");
    ByteArrayOutputStream ddl = new ByteArrayOutputStream();
    try (InputStream archive = backup.catalog().open(backup.metadata())) {
      StreamedTool.run(
          argv,
          Map.of(),
          null,
          archive,
          ddl,
          progress,
          "reading the schema of backup " + backup.metadata().backupId(),
          PostgresFailures.TOOL_FAILED);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return ddl.toString(StandardCharsets.UTF_8);
  }

  /**
   * A directory-format backup is a tar of pg_dump's directory, which pg_restore reads only as a
   * directory: it is unpacked (all of it, so the store checks the SHA-256) into a private temporary
   * directory, always deleted afterwards.
   */
  private String directoryDdl(SelectedBackup backup, Progress progress) {
    String id = backup.metadata().backupId();
    Path directory = null;
    try {
      directory = OwnedTempDirectory.create("drctl-schema-");
      try (InputStream archive = backup.catalog().open(backup.metadata())) {
        DumpDirectory.extract(archive, directory, progress, "unpacking backup " + id);
      }
      ByteArrayOutputStream ddl = new ByteArrayOutputStream();
      StreamedTool.run(
          List.of(
              options.tool("pg_restore").toString(),
              "--schema-only",
              "-f",
              "-",
              directory.toString()),
          Map.of(),
          null,
          ddl,
          progress,
          "reading the schema of backup " + id,
          PostgresFailures.TOOL_FAILED);
      return ddl.toString(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      if (directory != null) {
        try {
          LocalDirectories.deleteRecursively(directory);
        } catch (IOException e) {
          progress.beat("could not delete " + directory + ": " + e.getMessage(), 0);
        }
      }
    }
  }
}
