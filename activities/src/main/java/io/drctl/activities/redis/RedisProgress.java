package io.drctl.activities.redis;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The heartbeat details of a redis activity: what an operator sees while it runs, and what a retry
 * of {@code redis.restore} resumes from.
 *
 * @param action the activity type, e.g. {@code redis.backup}
 * @param phase what is being done, e.g. {@code waiting for BGSAVE}
 * @param done units finished in the phase (polls, bytes, keys)
 * @param elapsedSeconds since the attempt started
 * @param server how the restored server was started, once a restore has read it, else {@code null}:
 *     a retry after a crash that left the server stopped starts it from this
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RedisProgress(
    @JsonProperty("action") String action,
    @JsonProperty("phase") String phase,
    @JsonProperty("done") long done,
    @JsonProperty("elapsedSeconds") long elapsedSeconds,
    @JsonProperty("server") ServerLaunch server) {}
