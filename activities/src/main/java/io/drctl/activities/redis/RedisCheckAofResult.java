package io.drctl.activities.redis;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What a {@code redis.checkAof} step returns: field for field the {@code output} of {@code
 * redis.checkAof} in the action catalog.
 *
 * @param ok redis-check-aof reported the AOF valid.
 * @param files Files listed in the manifest.
 * @param sizeBytes Total size of the AOF files.
 * @param truncatedAt Offset of the first invalid byte, -1 when valid.
 * @param message redis-check-aof's summary line.
 */
public record RedisCheckAofResult(
    @JsonProperty("ok") boolean ok,
    @JsonProperty("files") long files,
    @JsonProperty("sizeBytes") long sizeBytes,
    @JsonProperty("truncatedAt") long truncatedAt,
    @JsonProperty("message") String message) {}
