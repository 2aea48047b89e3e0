package io.drctl.store.retention;

/**
 * What {@link RetentionPlanner#apply} deletes through: the store's catalog and WAL archive.
 *
 * <p>Call rules: called once per deletion, possibly again for the same name after a crash, so an
 * implementation must treat a backup or WAL file that is already gone as deleted (return normally).
 */
public interface RetentionStore {

  /**
   * Deletes one backup: its metadata first, so that it stops being listed and selected, then its
   * data files. A failure leaves at worst data without metadata, which no selector returns.
   */
  void deleteBackup(String backupId);

  /**
   * Deletes one file of the WAL archive: {@code wal}'s name in {@code wal}'s cluster (or the flat
   * layout).
   */
  void deleteWal(ArchivedWal wal);
}
