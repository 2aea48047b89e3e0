package io.drctl.activities.redis;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What a {@code redis.sentinelFailover} step returns: field for field the {@code output} of {@code
 * redis.sentinelFailover} in the action catalog.
 *
 * @param oldMaster host:port of the master before the failover.
 * @param newMaster host:port of the master Sentinel names after it.
 * @param replicaLagBytes How far the furthest replica was behind the old master when the failover
 *     was asked for (0 with pauseWrites).
 * @param writesPausedMillis How long writes on the old master were paused (0 without pauseWrites).
 * @param durationSeconds How long the failover took.
 * @param host Host of the new master.
 * @param port Port of the new master.
 * @param oldMasterLost Whether the old master answered no connection: the failover went on without
 *     pausing its writes.
 * @param dataLossSeconds The failover's actual RPO (x-measures): with the old master lost, the time
 *     from the last heartbeatKey value the new master has to the old master's end (its container's
 *     FinishedAt, else when the step found it unreachable); 0 with pauseWrites; null when not
 *     measured.
 */
public record RedisSentinelFailoverResult(
    @JsonProperty("oldMaster") String oldMaster,
    @JsonProperty("newMaster") String newMaster,
    @JsonProperty("replicaLagBytes") long replicaLagBytes,
    @JsonProperty("writesPausedMillis") long writesPausedMillis,
    @JsonProperty("durationSeconds") double durationSeconds,
    @JsonProperty("host") String host,
    @JsonProperty("port") int port,
    @JsonProperty("oldMasterLost") boolean oldMasterLost,
    @JsonProperty("dataLossSeconds") Double dataLossSeconds) {}
