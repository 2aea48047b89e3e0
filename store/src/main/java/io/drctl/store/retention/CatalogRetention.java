package io.drctl.store.retention;

import io.drctl.store.BackupNotFoundException;
import io.drctl.store.catalog.BackupCatalog;
import io.drctl.store.catalog.BackupKeys;
import io.drctl.store.catalog.BackupMetadata;
import io.drctl.store.catalog.Restorability;
import io.drctl.store.wal.SystemIdentifier;
import io.drctl.store.wal.WalArchive;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Retention of a real store: reads the {@link BackupCatalog} and the {@link WalArchive} into the
 * planner's view and deletes through them. A backup is restorable unless it is recorded {@link
 * Restorability#CORRUPT}.
 */
public final class CatalogRetention implements RetentionStore {
  /**
   * Where the PostgreSQL WAL archive lives inside a store: one folder per database system
   * identifier below it ({@code wal-archive/postgresql/<system identifier>/<file>.zst}), and the
   * files of archives from before that layout directly in it.
   */
  public static final String WAL_PREFIX = "wal-archive/postgresql";

  private final BackupCatalog catalog;
  private final WalArchive wal;

  /** The metadata read by the last {@link #plan}, so that deletions need no second listing. */
  private final Map<String, BackupMetadata> listed = new ConcurrentHashMap<>();

  /**
   * @param catalog the store's backups
   * @param wal its WAL archive, or {@code null} when WAL is not managed
   */
  public CatalogRetention(BackupCatalog catalog, WalArchive wal) {
    this.catalog = Objects.requireNonNull(catalog, "catalog");
    this.wal = wal;
  }

  /**
   * Plans retention of the store at {@code now}: the backups of {@code service} (null: all) and,
   * unless the service is {@code redis}, the WAL archive.
   */
  public RetentionPlan plan(String service, Instant now, RetentionPolicy policy) {
    List<BackupMetadata> stored = catalog.list(service);
    stored.forEach(backup -> listed.put(backup.backupId(), backup));
    List<RetainedBackup> backups = stored.stream().map(this::retained).toList();
    List<ArchivedWal> files =
        wal == null || "redis".equals(service)
            ? List.of()
            : wal.list().stream()
                .map(
                    file ->
                        new ArchivedWal(
                            file.name(),
                            file.archivedAt(),
                            file.storedSize(),
                            file.cluster() == null ? null : file.cluster().toString()))
                .toList();
    return RetentionPlanner.plan(backups, files, now, policy);
  }

  /** The planner's view of one stored backup. */
  public RetainedBackup retained(BackupMetadata backup) {
    BackupMetadata.WalRange range = backup.wal();
    return new RetainedBackup(
        backup.backupId(),
        backup.service(),
        BackupKinds.format(backup),
        BackupKinds.schedule(backup),
        backup.timestamp(),
        backup.sizeBytes(),
        backup.restorability() != Restorability.CORRUPT,
        range == null ? null : range.startWal(),
        range == null ? null : range.stopWal(),
        catalog.describe() + "/" + BackupKeys.folder(backup),
        range == null ? null : range.systemIdentifier());
  }

  /** Deletes through {@link BackupCatalog#delete} (metadata first); absent means done. */
  @Override
  public void deleteBackup(String backupId) {
    BackupMetadata known = listed.remove(backupId);
    if (known != null) {
      try {
        catalog.delete(known);
      } catch (BackupNotFoundException alreadyGone) {
        // Deleted by an earlier attempt: nothing left to do.
      }
      return;
    }
    catalog.list(null).stream()
        .filter(backup -> backup.backupId().equals(backupId))
        .forEach(catalog::delete);
  }

  @Override
  public void deleteWal(ArchivedWal file) {
    if (wal != null) {
      wal.delete(
          file.cluster() == null ? null : SystemIdentifier.parse(file.cluster()), file.name());
    }
  }
}
