package io.drctl.activities.postgres;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What a {@code postgres.promote} step returns: field for field the {@code output} of {@code
 * postgres.promote} in the action catalog.
 *
 * @param promoted true when this call promoted the server; false when it already was primary.
 * @param fenced Whether the old primary was fenced.
 * @param timeline The new primary's timeline id.
 * @param switchLsn WAL location where the new timeline starts.
 * @param host Host of the new primary, from its target.
 * @param port Port of the new primary, from its target.
 * @param promotedAt When promotion completed.
 * @param durationMillis How long promotion took.
 */
public record PostgresPromoteResult(
    @JsonProperty("promoted") boolean promoted,
    @JsonProperty("fenced") boolean fenced,
    @JsonProperty("timeline") int timeline,
    @JsonProperty("switchLsn") String switchLsn,
    @JsonProperty("host") String host,
    @JsonProperty("port") int port,
    @JsonProperty("promotedAt") String promotedAt,
    @JsonProperty("durationMillis") long durationMillis) {}
