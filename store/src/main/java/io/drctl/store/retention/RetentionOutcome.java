package io.drctl.store.retention;

import java.util.List;

/**
 * What {@link RetentionPlanner#apply} did. Immutable.
 *
 * @param deletedBackupIds the backups deleted, newest first
 * @param kept backups kept
 * @param walDeleted WAL files deleted
 * @param freedBytes bytes freed, backups and WAL
 */
public record RetentionOutcome(
    List<String> deletedBackupIds, int kept, int walDeleted, long freedBytes) {

  public RetentionOutcome {
    deletedBackupIds = List.copyOf(deletedBackupIds);
  }
}
