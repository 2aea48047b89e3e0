package io.drctl.activities.backup;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The output of a {@code backup.select} step, field for field the catalog's {@code output}.
 * Immutable.
 *
 * @param backupId the backup's id, a valid selector for restore and verify actions
 * @param timestamp when it was taken, RFC 3339
 * @param sizeBytes stored size
 * @param checksum {@code sha256:HEX} of the stored bytes
 * @param durationSeconds how long taking it took
 * @param location a path for a local store, {@code s3://bucket/key} for S3
 * @param service {@code postgresql} or {@code redis}
 * @param format {@code dump}, {@code basebackup}, {@code rdb} or {@code aof}
 * @param schedule {@code daily}, {@code weekly}, {@code monthly} or {@code manual}
 * @param verified whether {@code backup.verify} passed on it
 * @param restorability {@code VERIFIED}, {@code FAILED} or {@code UNTESTED}
 * @param ageSeconds its age when selected
 */
public record BackupSelectResult(
    @JsonProperty("backupId") String backupId,
    @JsonProperty("timestamp") String timestamp,
    @JsonProperty("sizeBytes") long sizeBytes,
    @JsonProperty("checksum") String checksum,
    @JsonProperty("durationSeconds") double durationSeconds,
    @JsonProperty("location") String location,
    @JsonProperty("service") String service,
    @JsonProperty("format") String format,
    @JsonProperty("schedule") String schedule,
    @JsonProperty("verified") boolean verified,
    @JsonProperty("restorability") String restorability,
    @JsonProperty("ageSeconds") long ageSeconds) {}
