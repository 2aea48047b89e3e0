package io.drctl.activities.backup;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.drctl.store.catalog.BackupMetadata;
import io.drctl.store.retention.BackupKinds;

/**
 * One backup in a {@code backup.list} output: the metadata record's fields in the catalog's
 * vocabulary. Immutable.
 *
 * @param backupId e.g. {@code backup_20251227_010000}
 * @param service {@code postgresql} or {@code redis}
 * @param format {@code dump}, {@code basebackup}, {@code rdb} or {@code aof}
 * @param schedule {@code daily}, {@code weekly}, {@code monthly} or {@code manual}
 * @param timestamp when it was taken, RFC 3339
 * @param sizeBytes stored (compressed) size
 * @param durationSeconds how long taking it took
 * @param checksum {@code sha256:HEX} of the stored bytes
 * @param verified whether {@code backup.verify} (or a restore test) passed on it
 * @param restorability {@code VERIFIED}, {@code FAILED} or {@code UNTESTED}: see {@link
 *     BackupViews#restorability}
 */
public record BackupRecord(
    @JsonProperty("backupId") String backupId,
    @JsonProperty("service") String service,
    @JsonProperty("format") String format,
    @JsonProperty("schedule") String schedule,
    @JsonProperty("timestamp") String timestamp,
    @JsonProperty("sizeBytes") long sizeBytes,
    @JsonProperty("durationSeconds") double durationSeconds,
    @JsonProperty("checksum") String checksum,
    @JsonProperty("verified") boolean verified,
    @JsonProperty("restorability") String restorability) {

  static BackupRecord of(BackupMetadata backup) {
    return new BackupRecord(
        backup.backupId(),
        backup.service(),
        BackupKinds.format(backup),
        BackupKinds.schedule(backup),
        backup.timestamp().toString(),
        backup.sizeBytes(),
        backup.durationSeconds(),
        backup.checksum(),
        backup.verified(),
        BackupViews.restorability(backup));
  }
}
