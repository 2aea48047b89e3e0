package io.drctl.activities.redis;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What a {@code redis.replicaOf} step returns: field for field the {@code output} of {@code
 * redis.replicaOf} in the action catalog.
 *
 * @param role master or replica, afterwards.
 * @param master host:port the target replicates from, empty for a master.
 * @param linkUp master_link_status is up (false for a master).
 * @param durationSeconds How long it took.
 */
public record RedisReplicaOfResult(
    @JsonProperty("role") String role,
    @JsonProperty("master") String master,
    @JsonProperty("linkUp") boolean linkUp,
    @JsonProperty("durationSeconds") double durationSeconds) {}
