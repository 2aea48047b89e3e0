package io.drctl.activities.postgres;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One replication slot as {@code postgres.replicationStatus} reports it.
 *
 * @param slotName the slot's name
 * @param active whether a receiver uses it now
 * @param restartLsn oldest WAL location the slot keeps, empty when it keeps none
 * @param retainedBytes WAL the slot keeps on disk: current location minus restartLsn
 */
public record SlotStatus(
    @JsonProperty("slotName") String slotName,
    @JsonProperty("active") boolean active,
    @JsonProperty("restartLsn") String restartLsn,
    @JsonProperty("retainedBytes") long retainedBytes) {}
