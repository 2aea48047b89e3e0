package io.drctl.activities.postgres;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What a {@code postgres.rejoin} step returns: field for field the {@code output} of {@code postgres.rejoin}
 * in the action catalog.
 *
 * @param method rewind or reclone: what was done.
 * @param divergedAt WAL location where the histories diverged.
 * @param timeline Timeline the standby follows.
 * @param streaming Whether it streams from source at the end.
 * @param lagBytes Lag behind source at the end.
 * @param durationSeconds How long rejoining took.
 */
public record PostgresRejoinResult(
    @JsonProperty("method") String method,
    @JsonProperty("divergedAt") String divergedAt,
    @JsonProperty("timeline") int timeline,
    @JsonProperty("streaming") boolean streaming,
    @JsonProperty("lagBytes") long lagBytes,
    @JsonProperty("durationSeconds") double durationSeconds) {}
