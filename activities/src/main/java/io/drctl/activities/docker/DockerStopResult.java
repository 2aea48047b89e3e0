package io.drctl.activities.docker;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The output of a {@code docker.stop} step, field for field the {@code output} schema of {@code
 * docker.stop} in the action catalog.
 *
 * @param wasRunning whether it was running before
 * @param exitCode exit code of the main process
 * @param stoppedAt when it stopped, as the engine reports it (RFC 3339)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DockerStopResult(
    @JsonProperty("wasRunning") boolean wasRunning,
    @JsonProperty("exitCode") int exitCode,
    @JsonProperty("stoppedAt") String stoppedAt) {}
