package io.drctl.activities.postgres;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What a {@code postgres.archiveStatus} step returns: field for field the {@code output} of {@code
 * postgres.archiveStatus} in the action catalog.
 *
 * @param healthy Last archive within maxAge and no failure after it.
 * @param archivedCount Segments archived since statistics reset.
 * @param failedCount Failed archive attempts since statistics reset.
 * @param lastArchivedWal Name of the last archived segment.
 * @param lastArchivedAt When it was archived.
 * @param lastFailedWal Name of the last segment that failed to archive, empty if none.
 * @param ageSeconds Seconds since the last successful archive.
 * @param pendingSegments WAL segments completed on the primary but not archived yet (current
 *     segment minus the last archived one, minus one): how far archiving lags, the WAL part of the
 *     live RPO. 0 on a standby.
 */
public record PostgresArchiveStatusResult(
    @JsonProperty("healthy") boolean healthy,
    @JsonProperty("archivedCount") long archivedCount,
    @JsonProperty("failedCount") long failedCount,
    @JsonProperty("lastArchivedWal") String lastArchivedWal,
    @JsonProperty("lastArchivedAt") String lastArchivedAt,
    @JsonProperty("lastFailedWal") String lastFailedWal,
    @JsonProperty("ageSeconds") double ageSeconds,
    @JsonProperty("pendingSegments") long pendingSegments) {}
