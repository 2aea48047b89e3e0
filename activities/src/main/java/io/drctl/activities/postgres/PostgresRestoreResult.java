package io.drctl.activities.postgres;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What a {@code postgres.restore} step returns: field for field the {@code output} of {@code
 * postgres.restore} in the action catalog.
 *
 * @param backupId The backup restored.
 * @param backupTimestamp When that backup was taken: the recovery point.
 * @param database The database restored into.
 * @param tables Tables restored.
 * @param rows Total rows after the restore.
 * @param durationSeconds How long the restore took.
 */
public record PostgresRestoreResult(
    @JsonProperty("backupId") String backupId,
    @JsonProperty("backupTimestamp") String backupTimestamp,
    @JsonProperty("database") String database,
    @JsonProperty("tables") int tables,
    @JsonProperty("rows") long rows,
    @JsonProperty("durationSeconds") double durationSeconds) {}
