package io.drctl.activities.docker;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.activities.targets.StepTargets;
import java.util.Map;

/**
 * The {@code with} of a {@code docker.stop} step, field for field the {@code params} of {@code
 * docker.stop} in the action catalog, plus {@value StepTargets#MEMBER}. Immutable.
 *
 * @param target container, postgres or redis target whose container is stopped
 * @param stopTimeout grace period between SIGTERM and SIGKILL, a runbook duration
 * @param targets the step's targets by name, as the plan holds them
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DockerStopInput(
    @JsonProperty("target") String target,
    @JsonProperty("stopTimeout") String stopTimeout,
    @JsonProperty(StepTargets.MEMBER) Map<String, JsonNode> targets) {

  public static final String DEFAULT_STOP_TIMEOUT = "30s";

  public DockerStopInput {
    stopTimeout = stopTimeout == null ? DEFAULT_STOP_TIMEOUT : stopTimeout;
    targets = DockerInputs.targets(targets);
  }

  public static DockerStopInput of(String target, Map<String, JsonNode> targets) {
    return new DockerStopInput(target, null, targets);
  }

  public DockerStopInput withStopTimeout(String duration) {
    return new DockerStopInput(target, duration, targets);
  }

  @Override
  public String toString() {
    return "DockerStopInput[target="
        + target
        + ", stopTimeout="
        + stopTimeout
        + ", "
        + StepTargets.MEMBER
        + "="
        + targets.keySet()
        + "]";
  }
}
