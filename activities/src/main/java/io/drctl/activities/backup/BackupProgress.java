package io.drctl.activities.backup;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Heartbeat details of {@code verify}, {@code replicate} and {@code prune}: what an operator sees
 * while they run. Immutable.
 *
 * @param phase {@code verifying}, {@code copying}, {@code copying WAL} or {@code deleting}
 * @param done items finished
 * @param total items in all
 * @param current the backup or WAL file being worked on
 * @param elapsedSeconds time since the attempt started
 */
public record BackupProgress(
    @JsonProperty("phase") String phase,
    @JsonProperty("done") int done,
    @JsonProperty("total") int total,
    @JsonProperty("current") String current,
    @JsonProperty("elapsedSeconds") double elapsedSeconds) {}
