package io.drctl.activities.postgres;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What a {@code postgres.snapshot} step returns: field for field the {@code output} of {@code
 * postgres.snapshot} in the action catalog.
 *
 * @param snapshotId Id of the safety copy, listed by backup.list with schedule safety; with method
 *     dump a valid selector for postgres.restore.
 * @param method basebackup, coldCopy or dump: what was taken.
 * @param location Where the copy is stored.
 * @param sizeBytes Size of the copy.
 * @param createdAt When the copy was taken.
 * @param unreadableFiles Files that could not be read (bestEffort only).
 */
public record PostgresSnapshotResult(
    @JsonProperty("snapshotId") String snapshotId,
    @JsonProperty("method") String method,
    @JsonProperty("location") String location,
    @JsonProperty("sizeBytes") long sizeBytes,
    @JsonProperty("createdAt") String createdAt,
    @JsonProperty("unreadableFiles") int unreadableFiles) {}
