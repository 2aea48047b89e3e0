package io.drctl.activities.docker;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.activities.targets.StepTargets;
import java.util.Map;

/**
 * The {@code with} of a {@code docker.recreate} step, field for field the {@code params} of {@code
 * docker.recreate} in the action catalog, plus {@value StepTargets#MEMBER}. Absent fields take the
 * catalog's defaults; unknown fields are ignored. Immutable.
 *
 * @param target container, postgres or redis target whose container is recreated
 * @param image image of the new container, or {@code null} for the same image
 * @param stopTimeout grace period between SIGTERM and SIGKILL, a runbook duration
 * @param waitHealthy wait for health after starting
 * @param healthTimeout how long to wait for health, a runbook duration
 * @param targets the step's targets by name, as the plan holds them
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DockerRecreateInput(
    @JsonProperty("target") String target,
    @JsonProperty("image") String image,
    @JsonProperty("stopTimeout") String stopTimeout,
    @JsonProperty("waitHealthy") Boolean waitHealthy,
    @JsonProperty("healthTimeout") String healthTimeout,
    @JsonProperty(StepTargets.MEMBER) Map<String, JsonNode> targets) {

  public static final String DEFAULT_STOP_TIMEOUT = "30s";
  public static final String DEFAULT_HEALTH_TIMEOUT = "3m";

  public DockerRecreateInput {
    stopTimeout = stopTimeout == null ? DEFAULT_STOP_TIMEOUT : stopTimeout;
    waitHealthy = waitHealthy == null || waitHealthy;
    healthTimeout = healthTimeout == null ? DEFAULT_HEALTH_TIMEOUT : healthTimeout;
    targets = DockerInputs.targets(targets);
  }

  /**
   * A recreation of {@code target}'s container from the same image, other fields at their defaults.
   */
  public static DockerRecreateInput of(String target, Map<String, JsonNode> targets) {
    return new DockerRecreateInput(target, null, null, null, null, targets);
  }

  public DockerRecreateInput withImage(String newImage) {
    return new DockerRecreateInput(
        target, newImage, stopTimeout, waitHealthy, healthTimeout, targets);
  }

  public DockerRecreateInput withStopTimeout(String duration) {
    return new DockerRecreateInput(target, image, duration, waitHealthy, healthTimeout, targets);
  }

  public DockerRecreateInput withHealth(boolean wait, String timeout) {
    return new DockerRecreateInput(target, image, stopTimeout, wait, timeout, targets);
  }

  @Override
  public String toString() {
    return "DockerRecreateInput[target="
        + target
        + ", image="
        + image
        + ", stopTimeout="
        + stopTimeout
        + ", waitHealthy="
        + waitHealthy
        + ", healthTimeout="
        + healthTimeout
        + ", "
        + StepTargets.MEMBER
        + "="
        + targets.keySet()
        + "]";
  }
}
