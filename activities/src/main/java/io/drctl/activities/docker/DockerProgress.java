package io.drctl.activities.docker;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.drctl.activities.Heartbeats;

/**
 * Heartbeat details of a running docker action: what an operator sees on the pending activity.
 *
 * @param phase what the action is doing: stopping, starting, waiting for health, copying, ...
 * @param attempt restart attempt within this run (1 for actions without attempts)
 * @param health last health seen, or empty
 * @param probes health probes made so far
 * @param bytes bytes copied so far (copies and snapshots)
 * @param elapsedSeconds seconds since the activity attempt started
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DockerProgress(
    @JsonProperty("phase") String phase,
    @JsonProperty("attempt") int attempt,
    @JsonProperty("health") String health,
    @JsonProperty("probes") int probes,
    @JsonProperty("bytes") long bytes,
    @JsonProperty("elapsedSeconds") long elapsedSeconds) {

  static DockerProgress phase(String phase, Heartbeats heartbeats) {
    return new DockerProgress(phase, 1, "", 0, 0, (long) heartbeats.elapsedSeconds());
  }
}
