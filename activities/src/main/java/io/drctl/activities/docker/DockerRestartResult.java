package io.drctl.activities.docker;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The output of a {@code docker.restart} step, field for field the {@code output} schema of {@code
 * docker.restart} in the action catalog. Also the details of its {@code Unhealthy} failure.
 *
 * @param healthy healthy at the end
 * @param health healthy, unhealthy, starting, none (not awaited, no health check) or running
 * @param restarts restarts done in this run
 * @param restartCount Docker's RestartCount of the container (restarts by its restart policy)
 * @param containerId the container's id
 * @param startedAt when the container last started, as the engine reports it (RFC 3339)
 * @param durationSeconds time until healthy or given up
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DockerRestartResult(
    @JsonProperty("healthy") boolean healthy,
    @JsonProperty("health") String health,
    @JsonProperty("restarts") int restarts,
    @JsonProperty("restartCount") int restartCount,
    @JsonProperty("containerId") String containerId,
    @JsonProperty("startedAt") String startedAt,
    @JsonProperty("durationSeconds") double durationSeconds) {}
