package io.drctl.activities.postgres;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What a {@code postgres.basebackup} step returns: field for field the {@code output} of {@code
 * postgres.basebackup} in the action catalog.
 *
 * @param backupId Id of the backup, e.g. backup_20251227_010000; a valid selector for restore and
 *     verify actions.
 * @param timestamp When the backup was taken (its consistency point), RFC 3339 with offset.
 * @param sizeBytes Size of the stored backup in bytes (compressed).
 * @param checksum sha256:HEX of the stored files, recorded in the metadata and checked on every
 *     read.
 * @param durationSeconds How long taking the backup took.
 * @param location Where the backup is stored: a path for a local store, s3://bucket/key for S3.
 * @param startLsn WAL location where the backup starts.
 * @param stopLsn WAL location where the backup becomes consistent; recovery targets before it are
 *     impossible.
 * @param timeline Timeline the backup was taken on.
 * @param verified Whether pg_verifybackup passed.
 */
public record PostgresBasebackupResult(
    @JsonProperty("backupId") String backupId,
    @JsonProperty("timestamp") String timestamp,
    @JsonProperty("sizeBytes") long sizeBytes,
    @JsonProperty("checksum") String checksum,
    @JsonProperty("durationSeconds") double durationSeconds,
    @JsonProperty("location") String location,
    @JsonProperty("startLsn") String startLsn,
    @JsonProperty("stopLsn") String stopLsn,
    @JsonProperty("timeline") int timeline,
    @JsonProperty("verified") boolean verified) {}
