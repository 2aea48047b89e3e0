package io.drctl.activities.postgres;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What a {@code postgres.dump} step returns: field for field the {@code output} of {@code
 * postgres.dump} in the action catalog.
 *
 * @param backupId Id of the backup, e.g. backup_20251227_010000; a valid selector for restore and
 *     verify actions.
 * @param timestamp When the backup was taken (its consistency point), RFC 3339 with offset.
 * @param sizeBytes Size of the stored backup in bytes (compressed).
 * @param checksum sha256:HEX of the stored files, recorded in the metadata and checked on every
 *     read.
 * @param durationSeconds How long taking the backup took.
 * @param location Where the backup is stored: a path for a local store, s3://bucket/key for S3.
 * @param database The database dumped.
 * @param tables Number of tables in the dump.
 * @param rows Total rows counted at dump time.
 */
public record PostgresDumpResult(
    @JsonProperty("backupId") String backupId,
    @JsonProperty("timestamp") String timestamp,
    @JsonProperty("sizeBytes") long sizeBytes,
    @JsonProperty("checksum") String checksum,
    @JsonProperty("durationSeconds") double durationSeconds,
    @JsonProperty("location") String location,
    @JsonProperty("database") String database,
    @JsonProperty("tables") int tables,
    @JsonProperty("rows") long rows) {}
