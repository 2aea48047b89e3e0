package io.drctl.activities.docker;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.activities.targets.StepTargets;
import java.util.Map;

/**
 * The {@code with} of a {@code docker.start} step, field for field the {@code params} of {@code
 * docker.start} in the action catalog, plus {@value StepTargets#MEMBER}. Immutable.
 *
 * @param target container, postgres or redis target whose container is started
 * @param waitHealthy wait for health after starting
 * @param healthTimeout how long to wait for health, a runbook duration
 * @param healthUrl HTTP endpoint over the target's healthUrl, or {@code null}
 * @param targets the step's targets by name, as the plan holds them
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DockerStartInput(
    @JsonProperty("target") String target,
    @JsonProperty("waitHealthy") Boolean waitHealthy,
    @JsonProperty("healthTimeout") String healthTimeout,
    @JsonProperty("healthUrl") String healthUrl,
    @JsonProperty(StepTargets.MEMBER) Map<String, JsonNode> targets) {

  public static final String DEFAULT_HEALTH_TIMEOUT = "2m";

  public DockerStartInput {
    waitHealthy = waitHealthy == null || waitHealthy;
    healthTimeout = healthTimeout == null ? DEFAULT_HEALTH_TIMEOUT : healthTimeout;
    targets = DockerInputs.targets(targets);
  }

  public static DockerStartInput of(String target, Map<String, JsonNode> targets) {
    return new DockerStartInput(target, null, null, null, targets);
  }

  public DockerStartInput withHealth(boolean wait, String timeout, String url) {
    return new DockerStartInput(target, wait, timeout, url, targets);
  }

  @Override
  public String toString() {
    return "DockerStartInput[target="
        + target
        + ", waitHealthy="
        + waitHealthy
        + ", healthTimeout="
        + healthTimeout
        + ", healthUrl="
        + healthUrl
        + ", "
        + StepTargets.MEMBER
        + "="
        + targets.keySet()
        + "]";
  }
}
