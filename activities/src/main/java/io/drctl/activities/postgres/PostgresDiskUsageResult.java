package io.drctl.activities.postgres;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What a {@code postgres.diskUsage} step returns: field for field the {@code output} of {@code
 * postgres.diskUsage} in the action catalog.
 *
 * @param healthy usedRatio is below warnRatio.
 * @param databaseBytes Size of all databases.
 * @param walBytes Size of pg_wal.
 * @param filesystemBytes Size of the filesystem.
 * @param filesystemUsedBytes Used bytes of the filesystem.
 * @param usedRatio filesystemUsedBytes / filesystemBytes.
 */
public record PostgresDiskUsageResult(
    @JsonProperty("healthy") boolean healthy,
    @JsonProperty("databaseBytes") long databaseBytes,
    @JsonProperty("walBytes") long walBytes,
    @JsonProperty("filesystemBytes") long filesystemBytes,
    @JsonProperty("filesystemUsedBytes") long filesystemUsedBytes,
    @JsonProperty("usedRatio") double usedRatio) {}
