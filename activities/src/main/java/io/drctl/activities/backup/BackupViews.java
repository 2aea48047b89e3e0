package io.drctl.activities.backup;

import io.drctl.store.catalog.BackupMetadata;
import io.drctl.store.catalog.Restorability;

/** How the catalog's outputs name the store's states. */
final class BackupViews {
  /** The note {@code backup.recordRestoreTest} leaves on a backup whose restore test failed. */
  static final String RESTORE_TEST_FAILED = "restore test FAILED";

  private BackupViews() {}

  /**
   * The action catalog's restorability, which names the last restore test: {@code VERIFIED} (a
   * restore test passed), {@code FAILED} (a restore test failed, or the backup is corrupt), else
   * {@code UNTESTED} (including a backup whose checksum {@code backup.verify} confirmed; {@code
   * verified} says that).
   */
  static String restorability(BackupMetadata backup) {
    return switch (backup.restorability()) {
      case VERIFIED -> "VERIFIED";
      case CORRUPT -> "FAILED";
      default -> "UNTESTED";
    };
  }

  /** Whether a selector may pick the backup: it is not corrupt and no restore test failed. */
  static boolean selectable(BackupMetadata backup) {
    return backup.restorability() != Restorability.CORRUPT;
  }
}
