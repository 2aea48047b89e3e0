package io.drctl.activities.postgres;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What a {@code postgres.pitr} step returns: field for field the {@code output} of {@code
 * postgres.pitr} in the action catalog.
 *
 * @param baseBackupId The base backup recovery started from.
 * @param stoppedAt Commit time at which recovery stopped (from 'recovery stopping ... time Y'), or
 *     the last replayed commit for latest.
 * @param stopTransaction Transaction id at which recovery stopped (0 for latest).
 * @param stopPosition before, after (the stop commit was excluded or included) or end (end of
 *     archive).
 * @param timeline The new timeline id selected at promotion.
 * @param walSegmentsReplayed WAL segments fetched from the archive.
 * @param previousDataDirectory Where the replaced data directory was moved; empty when it was
 *     deleted.
 * @param durationSeconds How long recovery took.
 */
public record PostgresPitrResult(
    @JsonProperty("baseBackupId") String baseBackupId,
    @JsonProperty("stoppedAt") String stoppedAt,
    @JsonProperty("stopTransaction") long stopTransaction,
    @JsonProperty("stopPosition") String stopPosition,
    @JsonProperty("timeline") int timeline,
    @JsonProperty("walSegmentsReplayed") int walSegmentsReplayed,
    @JsonProperty("previousDataDirectory") String previousDataDirectory,
    @JsonProperty("durationSeconds") double durationSeconds) {}
