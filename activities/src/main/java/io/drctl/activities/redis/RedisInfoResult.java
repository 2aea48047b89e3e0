package io.drctl.activities.redis;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What a {@code redis.info} step returns: field for field the {@code output} of {@code redis.info}
 * in the action catalog.
 *
 * @param healthy usedRatio below warnRatio and persistence ok.
 * @param usedMemoryBytes used_memory.
 * @param maxMemoryBytes maxmemory, or total_system_memory when maxmemory is 0.
 * @param usedRatio usedMemoryBytes / maxMemoryBytes.
 * @param fragmentationRatio mem_fragmentation_ratio.
 * @param evictedKeys evicted_keys since start.
 * @param keys Keys in all databases.
 * @param connectedClients connected_clients.
 * @param role master or replica.
 * @param aofEnabled aof_enabled.
 * @param aofLastWriteOk aof_last_write_status is ok.
 * @param rdbLastSaveOk rdb_last_bgsave_status is ok.
 * @param uptimeSeconds uptime_in_seconds.
 */
public record RedisInfoResult(
    @JsonProperty("healthy") boolean healthy,
    @JsonProperty("usedMemoryBytes") long usedMemoryBytes,
    @JsonProperty("maxMemoryBytes") long maxMemoryBytes,
    @JsonProperty("usedRatio") double usedRatio,
    @JsonProperty("fragmentationRatio") double fragmentationRatio,
    @JsonProperty("evictedKeys") long evictedKeys,
    @JsonProperty("keys") long keys,
    @JsonProperty("connectedClients") long connectedClients,
    @JsonProperty("role") String role,
    @JsonProperty("aofEnabled") boolean aofEnabled,
    @JsonProperty("aofLastWriteOk") boolean aofLastWriteOk,
    @JsonProperty("rdbLastSaveOk") boolean rdbLastSaveOk,
    @JsonProperty("uptimeSeconds") long uptimeSeconds) {}
