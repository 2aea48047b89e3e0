package io.drctl.activities.postgres;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What a {@code postgres.connectionStats} step returns: field for field the {@code output} of
 * {@code postgres.connectionStats} in the action catalog.
 *
 * @param healthy Every limit holds.
 * @param total Client connections.
 * @param maxConnections max_connections.
 * @param usedRatio total / maxConnections.
 * @param active Connections running a query.
 * @param idle Idle connections.
 * @param idleInTransaction Connections idle inside a transaction.
 * @param waiting Connections waiting on a lock.
 * @param oldestTransactionSeconds Age of the oldest open transaction.
 */
public record PostgresConnectionStatsResult(
    @JsonProperty("healthy") boolean healthy,
    @JsonProperty("total") int total,
    @JsonProperty("maxConnections") int maxConnections,
    @JsonProperty("usedRatio") double usedRatio,
    @JsonProperty("active") int active,
    @JsonProperty("idle") int idle,
    @JsonProperty("idleInTransaction") int idleInTransaction,
    @JsonProperty("waiting") int waiting,
    @JsonProperty("oldestTransactionSeconds") double oldestTransactionSeconds) {}
