package io.drctl.activities.docker;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The output of a {@code docker.recreate} step, field for field the {@code output} schema of {@code
 * docker.recreate} in the action catalog. Also the details of its {@code Unhealthy} failure.
 *
 * @param containerId id of the new container
 * @param previousContainerId id of the removed one
 * @param image image of the new container, as its configuration names it
 * @param healthy healthy at the end
 * @param durationSeconds time until healthy (or given up)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DockerRecreateResult(
    @JsonProperty("containerId") String containerId,
    @JsonProperty("previousContainerId") String previousContainerId,
    @JsonProperty("image") String image,
    @JsonProperty("healthy") boolean healthy,
    @JsonProperty("durationSeconds") double durationSeconds) {}
