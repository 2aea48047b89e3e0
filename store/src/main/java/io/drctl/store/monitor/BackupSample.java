package io.drctl.store.monitor;

import io.drctl.store.catalog.BackupMetadata;
import io.drctl.store.catalog.Restorability;
import io.drctl.store.retention.BackupKinds;
import java.time.Instant;
import java.util.Objects;

/**
 * What the backup checks read of one backup. Immutable.
 *
 * @param backupId its id
 * @param schedule {@code daily}, {@code weekly}, {@code monthly} or {@code manual}
 * @param timestamp when it was taken
 * @param sizeBytes stored size
 * @param durationSeconds how long taking it took
 * @param restorability {@code NONE}, {@code CHECKSUM_OK}, {@code VERIFIED} or {@code CORRUPT}
 */
public record BackupSample(
    String backupId,
    String schedule,
    Instant timestamp,
    long sizeBytes,
    double durationSeconds,
    String restorability) {

  public BackupSample {
    Objects.requireNonNull(backupId, "backupId");
    Objects.requireNonNull(timestamp, "timestamp");
    schedule = schedule == null ? "" : schedule;
    restorability = restorability == null ? Restorability.NONE.name() : restorability;
  }

  /** The sample of a stored backup. */
  public static BackupSample of(BackupMetadata backup) {
    return new BackupSample(
        backup.backupId(),
        BackupKinds.schedule(backup),
        backup.timestamp(),
        backup.sizeBytes(),
        backup.durationSeconds(),
        backup.restorability().name());
  }

  /** Whether a verification or restore test found it unusable. */
  public boolean failedVerification() {
    return Restorability.CORRUPT.name().equals(restorability) || "FAILED".equals(restorability);
  }
}
