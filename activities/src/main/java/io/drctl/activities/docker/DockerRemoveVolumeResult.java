package io.drctl.activities.docker;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The output of a {@code docker.removeVolume} step, field for field the {@code output} schema of
 * {@code docker.removeVolume} in the action catalog.
 *
 * @param volume the volume removed
 * @param removed false when it did not exist
 * @param removedBytes size of the volume before removal as the engine's disk usage reports it;
 *     {@code null} (left out of the JSON) when unknown
 * @param containerId id of the recreated container, empty when not recreated
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DockerRemoveVolumeResult(
    @JsonProperty("volume") String volume,
    @JsonProperty("removed") boolean removed,
    @JsonProperty("removedBytes") @JsonInclude(JsonInclude.Include.NON_NULL) Long removedBytes,
    @JsonProperty("containerId") String containerId) {}
