package io.drctl.activities.docker;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The output of a {@code docker.waitHealthy} step, field for field the {@code output} schema of
 * {@code docker.waitHealthy} in the action catalog. Also the details of its {@code Unhealthy}
 * failure, with {@code healthy} false.
 *
 * @param healthy healthy at the end
 * @param health last health seen: healthy, unhealthy, starting, running, exited, ... or for the
 *     http probe {@code status NNN} or what kept the probe from an answer
 * @param probes probes made
 * @param waitedSeconds time waited
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DockerWaitHealthyResult(
    @JsonProperty("healthy") boolean healthy,
    @JsonProperty("health") String health,
    @JsonProperty("probes") int probes,
    @JsonProperty("waitedSeconds") double waitedSeconds) {}
