package io.drctl.activities.redis;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What a {@code redis.sentinelFailover} step returns: field for field the {@code output} of {@code redis.sentinelFailover}
 * in the action catalog.
 *
 * @param oldMaster host:port of the master before the failover.
 * @param newMaster host:port of the master Sentinel names after it.
 * @param replicaLagBytes How far the furthest replica was behind the old master when the failover was asked for (0 with pauseWrites).
 * @param writesPausedMillis How long writes on the old master were paused (0 without pauseWrites).
 * @param durationSeconds How long the failover took.
 */
public record RedisSentinelFailoverResult(
    @JsonProperty("oldMaster") String oldMaster,
    @JsonProperty("newMaster") String newMaster,
    @JsonProperty("replicaLagBytes") long replicaLagBytes,
    @JsonProperty("writesPausedMillis") long writesPausedMillis,
    @JsonProperty("durationSeconds") double durationSeconds) {}
