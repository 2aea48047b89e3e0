package io.drctl.activities.postgres;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * What a {@code postgres.replicationStatus} step returns: field for field the {@code output} of
 * {@code postgres.replicationStatus} in the action catalog.
 *
 * @param healthy Whether every limit holds.
 * @param role primary or standby.
 * @param inRecovery pg_is_in_recovery().
 * @param timeline Current timeline id.
 * @param replicas On a primary: standbys streaming now.
 * @param lagBytes Largest lag in bytes (primary: over its standbys; standby: received minus
 *     replayed plus primary distance when known).
 * @param lagSeconds Replay delay in seconds.
 * @param lastReplayAt On a standby: commit time of the last replayed transaction.
 * @param slots Replication slots: objects with slotName, active, restartLsn, retainedBytes.
 * @param inactiveSlots Slots not in use.
 */
public record PostgresReplicationStatusResult(
    @JsonProperty("healthy") boolean healthy,
    @JsonProperty("role") String role,
    @JsonProperty("inRecovery") boolean inRecovery,
    @JsonProperty("timeline") int timeline,
    @JsonProperty("replicas") int replicas,
    @JsonProperty("lagBytes") long lagBytes,
    @JsonProperty("lagSeconds") double lagSeconds,
    @JsonProperty("lastReplayAt") String lastReplayAt,
    @JsonProperty("slots") List<SlotStatus> slots,
    @JsonProperty("inactiveSlots") int inactiveSlots) {
  public PostgresReplicationStatusResult {
    slots = List.copyOf(slots);
  }
}
