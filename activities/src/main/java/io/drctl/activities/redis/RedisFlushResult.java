package io.drctl.activities.redis;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What a {@code redis.flush} step returns: field for field the {@code output} of {@code
 * redis.flush} in the action catalog.
 *
 * @param keysBefore Keys in the flushed scope before.
 * @param keysAfter Keys in the flushed scope after.
 * @param usedMemoryBytes used_memory after the flush (may drop later with async).
 */
public record RedisFlushResult(
    @JsonProperty("keysBefore") long keysBefore,
    @JsonProperty("keysAfter") long keysAfter,
    @JsonProperty("usedMemoryBytes") long usedMemoryBytes) {}
