package io.drctl.activities.redis;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What a {@code redis.snapshot} step returns: field for field the {@code output} of {@code
 * redis.snapshot} in the action catalog.
 *
 * @param snapshotId Id of the copy; a valid selector for redis.restore.
 * @param location Where it is stored.
 * @param sizeBytes Size of the copy.
 * @param keys Keys at copy time (0 for a cold copy).
 * @param createdAt When it was taken.
 * @param unreadableFiles Files that could not be read (bestEffort only).
 */
public record RedisSnapshotResult(
    @JsonProperty("snapshotId") String snapshotId,
    @JsonProperty("location") String location,
    @JsonProperty("sizeBytes") long sizeBytes,
    @JsonProperty("keys") long keys,
    @JsonProperty("createdAt") String createdAt,
    @JsonProperty("unreadableFiles") long unreadableFiles) {}
