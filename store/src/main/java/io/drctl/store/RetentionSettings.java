package io.drctl.store;

import java.time.Duration;

/**
 * Grandfather-father-son retention settings of one store, as in the runbook's {@code retention}
 * object. Defaults follow the seed: 7 daily, 4 weekly, 12 monthly, WAL for 7 days. The policy that
 * applies them lives in {@code io.drctl.store.retention}.
 *
 * @param daily daily backups to keep (&gt;= 0)
 * @param weekly weekly backups to keep (&gt;= 0)
 * @param monthly monthly backups to keep (&gt;= 0)
 * @param wal how long archived WAL is kept
 * @param maxAge nothing older is kept whatever the counts say; null for no limit
 */
public record RetentionSettings(int daily, int weekly, int monthly, Duration wal, Duration maxAge) {

  /** 7 daily, 4 weekly, 12 monthly, WAL 7 days, no age limit. */
  public static final RetentionSettings DEFAULTS =
      new RetentionSettings(7, 4, 12, Duration.ofDays(7), null);

  public RetentionSettings {
    if (daily < 0 || weekly < 0 || monthly < 0) {
      throw new StoreException(
          StoreException.Kind.INVALID_CONFIG,
          "retention counts must be >= 0, got daily="
              + daily
              + " weekly="
              + weekly
              + " monthly="
              + monthly);
    }
    if (wal == null || wal.isNegative()) {
      throw new StoreException(StoreException.Kind.INVALID_CONFIG, "retention.wal must be >= 0");
    }
    if (maxAge != null && maxAge.isNegative()) {
      throw new StoreException(StoreException.Kind.INVALID_CONFIG, "retention.maxAge must be >= 0");
    }
  }
}
