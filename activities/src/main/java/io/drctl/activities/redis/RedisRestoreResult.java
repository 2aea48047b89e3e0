package io.drctl.activities.redis;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What a {@code redis.restore} step returns: field for field the {@code output} of {@code
 * redis.restore} in the action catalog.
 *
 * @param backupId The backup restored.
 * @param backupTimestamp When it was taken: the recovery point.
 * @param type rdb or aof.
 * @param keys Keys after loading.
 * @param aofEnabled Whether AOF is on at the end.
 * @param durationSeconds How long the restore took.
 */
public record RedisRestoreResult(
    @JsonProperty("backupId") String backupId,
    @JsonProperty("backupTimestamp") String backupTimestamp,
    @JsonProperty("type") String type,
    @JsonProperty("keys") long keys,
    @JsonProperty("aofEnabled") boolean aofEnabled,
    @JsonProperty("durationSeconds") double durationSeconds) {}
