package io.drctl.activities.redis;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * What a {@code redis.verify} step returns: field for field the {@code output} of {@code
 * redis.verify} in the action catalog.
 *
 * @param ok Every check passed.
 * @param pong PING answered PONG.
 * @param keys DBSIZE summed over databases.
 * @param missingKeys Sample keys that do not exist.
 * @param persistenceOk Last RDB save and AOF write were ok.
 * @param latencyMillis PING round trip.
 */
public record RedisVerifyResult(
    @JsonProperty("ok") boolean ok,
    @JsonProperty("pong") boolean pong,
    @JsonProperty("keys") long keys,
    @JsonProperty("missingKeys") List<String> missingKeys,
    @JsonProperty("persistenceOk") boolean persistenceOk,
    @JsonProperty("latencyMillis") long latencyMillis) {}
