package io.drctl.activities.backup;

import io.drctl.activities.ActionFailures;
import io.drctl.store.StoreException;
import io.temporal.failure.ApplicationFailure;

/**
 * Error types of the {@code backup} actions, as the action catalog ({@code
 * io/drctl/catalog/backup.json}) and runbooks' {@code retry.nonRetryable} name them, and the one
 * mapping of store failures onto them.
 */
public final class BackupFailures {
  /** No backup matches the selector or id. Not retryable. */
  public static final String NO_BACKUP_FOUND = "NoBackupFound";

  /**
   * Stored bytes fail their checksum or do not decompress; the backup is marked corrupt. Not
   * retryable.
   */
  public static final String BACKUP_CORRUPT = "BackupCorrupt";

  /** The store refused the credentials or the operation. Not retryable. */
  public static final String STORE_ACCESS_DENIED = "StoreAccessDenied";

  /** The store did not answer (connection refused, timeout, 5xx). Retryable. */
  public static final String STORE_UNAVAILABLE = "StoreUnavailable";

  /** Selector {@code s3} on a store that is not an S3 store. Not retryable. */
  public static final String STORE_MISMATCH = "StoreMismatch";

  /** {@code backup.checkFreshness} found the newest backup too old. Not retryable. */
  public static final String BACKUP_STALE = "BackupStale";

  /** {@code backup.checkSize} found the newest backup oversized. Not retryable. */
  public static final String BACKUP_OVERSIZED = "BackupOversized";

  /** {@code backup.checkDuration} found the newest backup slow. Not retryable. */
  public static final String BACKUP_SLOW = "BackupSlow";

  private BackupFailures() {}

  /**
   * The failure for a store exception: its kind's type and retryability, except that a missing
   * backup is {@link #NO_BACKUP_FOUND} (the catalog's name) and an invalid store configuration is
   * {@link ActionFailures#INVALID_INPUT}. The store's message never holds a secret.
   */
  public static ApplicationFailure of(StoreException error) {
    String type =
        switch (error.kind()) {
          case NOT_FOUND -> NO_BACKUP_FOUND;
          case INVALID_CONFIG -> ActionFailures.INVALID_INPUT;
          default -> error.type();
        };
    return error.retryable()
        ? ActionFailures.retryable(type, error.getMessage())
        : ActionFailures.nonRetryable(type, error.getMessage());
  }

  /** {@link #NO_BACKUP_FOUND}, not retryable. */
  static ApplicationFailure noBackupFound(String message) {
    return ActionFailures.nonRetryable(NO_BACKUP_FOUND, message);
  }

  /**
   * The boundary classification of the backup activities: store exceptions by {@link #of}, the rest
   * by {@link ActionFailures#classify}.
   */
  static RuntimeException classify(Throwable error) {
    if (error instanceof StoreException store) {
      return of(store);
    }
    return ActionFailures.classify(error);
  }
}
