package io.drctl.activities.docker;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The output of a {@code docker.start} step, field for field the {@code output} schema of {@code
 * docker.start} in the action catalog. Also the details of its {@code Unhealthy} failure.
 *
 * @param wasRunning whether it was already running
 * @param healthy healthy at the end (true when health was not awaited and it runs)
 * @param containerId the container's id
 * @param startedAt when it started, as the engine reports it (RFC 3339)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DockerStartResult(
    @JsonProperty("wasRunning") boolean wasRunning,
    @JsonProperty("healthy") boolean healthy,
    @JsonProperty("containerId") String containerId,
    @JsonProperty("startedAt") String startedAt) {}
