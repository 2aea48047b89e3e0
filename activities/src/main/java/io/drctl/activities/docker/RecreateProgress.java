package io.drctl.activities.docker;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.drctl.activities.Heartbeats;

/**
 * Heartbeat details of {@code docker.recreate}: what an operator sees, and where a retry resumes
 * when an attempt ended between moving the old container aside and starting the new one. Holds ids
 * only, never configuration (which may hold secrets): that stays on the engine, in the old
 * container, until the new one exists.
 *
 * @param phase what the action is doing
 * @param previousContainerId the container being replaced
 * @param previousWasRunning whether it was running before the recreation began
 * @param newContainerId the new container, empty until created
 * @param health last health seen, or empty
 * @param probes health probes made
 * @param elapsedSeconds seconds since the attempt started
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RecreateProgress(
    @JsonProperty("phase") String phase,
    @JsonProperty("previousContainerId") String previousContainerId,
    @JsonProperty("previousWasRunning") boolean previousWasRunning,
    @JsonProperty("newContainerId") String newContainerId,
    @JsonProperty("health") String health,
    @JsonProperty("probes") int probes,
    @JsonProperty("elapsedSeconds") long elapsedSeconds) {

  RecreateProgress at(String newPhase, Heartbeats heartbeats) {
    return new RecreateProgress(
        newPhase,
        previousContainerId,
        previousWasRunning,
        newContainerId,
        health,
        probes,
        (long) heartbeats.elapsedSeconds());
  }

  RecreateProgress created(String id, Heartbeats heartbeats) {
    return new RecreateProgress(
        "created",
        previousContainerId,
        previousWasRunning,
        id,
        health,
        probes,
        (long) heartbeats.elapsedSeconds());
  }

  RecreateProgress health(String newHealth, int newProbes, Heartbeats heartbeats) {
    return new RecreateProgress(
        "waiting for health",
        previousContainerId,
        previousWasRunning,
        newContainerId,
        newHealth,
        newProbes,
        (long) heartbeats.elapsedSeconds());
  }
}
