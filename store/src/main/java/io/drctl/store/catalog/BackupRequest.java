package io.drctl.store.catalog;

import io.drctl.store.pipeline.Compression;
import java.time.Instant;

/**
 * What to write: everything the catalog cannot compute itself. Build with {@link #of(String,
 * BackupType, String)} and the {@code with...} methods.
 *
 * @param service e.g. {@code postgresql}; a path segment, [a-z0-9_-]
 * @param type schedule/kind
 * @param format file extension of the raw stream, e.g. {@code dump}, {@code rdb}, {@code tar}
 * @param compression how to store it; default ZSTD
 * @param compressionLevel zstd 1..19 (default 3), gzip 1..9 (default 6)
 * @param backupId null to derive {@code backup_yyyyMMdd_HHmmss} from {@code timestamp}; must be
 *     unique per service — the workflow passes its own for idempotency
 * @param timestamp null for now
 * @param retention label such as {@code 7_days}; null derives from the type
 * @param source may be null
 * @param wal may be null
 * @param notes may be null
 */
public record BackupRequest(
    String service,
    BackupType type,
    String format,
    Compression compression,
    int compressionLevel,
    String backupId,
    Instant timestamp,
    String retention,
    BackupMetadata.Source source,
    BackupMetadata.WalRange wal,
    String notes) {

  public BackupRequest {
    BackupKeys.checkSegment("service", service);
    BackupKeys.checkSegment("format", format);
    if (backupId != null) {
      BackupKeys.checkSegment("backupId", backupId);
    }
    if (type == null) {
      throw new IllegalArgumentException("backup type is missing");
    }
    compression = compression == null ? Compression.ZSTD : compression;
    if (compressionLevel == 0) {
      compressionLevel = compression.defaultLevel();
    }
    if (compression == Compression.ZSTD && (compressionLevel < 1 || compressionLevel > 19)) {
      throw new IllegalArgumentException("zstd level " + compressionLevel + " must be 1..19");
    }
    if (compression == Compression.GZIP && (compressionLevel < 1 || compressionLevel > 9)) {
      throw new IllegalArgumentException("gzip level " + compressionLevel + " must be 1..9");
    }
  }

  /** A zstd level 3 request with a generated id and the current time. */
  public static BackupRequest of(String service, BackupType type, String format) {
    return new BackupRequest(
        service, type, format, Compression.ZSTD, 0, null, null, null, null, null, null);
  }

  public BackupRequest withCompression(Compression value, int level) {
    return new BackupRequest(
        service, type, format, value, level, backupId, timestamp, retention, source, wal, notes);
  }

  public BackupRequest withBackupId(String value) {
    return new BackupRequest(
        service,
        type,
        format,
        compression,
        compressionLevel,
        value,
        timestamp,
        retention,
        source,
        wal,
        notes);
  }

  public BackupRequest withTimestamp(Instant value) {
    return new BackupRequest(
        service,
        type,
        format,
        compression,
        compressionLevel,
        backupId,
        value,
        retention,
        source,
        wal,
        notes);
  }

  public BackupRequest withRetention(String value) {
    return new BackupRequest(
        service,
        type,
        format,
        compression,
        compressionLevel,
        backupId,
        timestamp,
        value,
        source,
        wal,
        notes);
  }

  public BackupRequest withSource(BackupMetadata.Source value) {
    return new BackupRequest(
        service,
        type,
        format,
        compression,
        compressionLevel,
        backupId,
        timestamp,
        retention,
        value,
        wal,
        notes);
  }

  public BackupRequest withWal(BackupMetadata.WalRange value) {
    return new BackupRequest(
        service,
        type,
        format,
        compression,
        compressionLevel,
        backupId,
        timestamp,
        retention,
        source,
        value,
        notes);
  }

  public BackupRequest withNotes(String value) {
    return new BackupRequest(
        service,
        type,
        format,
        compression,
        compressionLevel,
        backupId,
        timestamp,
        retention,
        source,
        wal,
        value);
  }
}
