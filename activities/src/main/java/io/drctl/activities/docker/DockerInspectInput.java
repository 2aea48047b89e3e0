package io.drctl.activities.docker;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.activities.targets.StepTargets;
import java.util.Map;

/**
 * The {@code with} of a {@code docker.inspect} step, field for field the {@code params} of {@code
 * docker.inspect} in the action catalog, plus {@value StepTargets#MEMBER}. Immutable.
 *
 * @param target container, postgres or redis target whose container is inspected
 * @param targets the step's targets by name, as the plan holds them
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DockerInspectInput(
    @JsonProperty("target") String target,
    @JsonProperty(StepTargets.MEMBER) Map<String, JsonNode> targets) {

  public DockerInspectInput {
    targets = DockerInputs.targets(targets);
  }

  public static DockerInspectInput of(String target, Map<String, JsonNode> targets) {
    return new DockerInspectInput(target, targets);
  }

  @Override
  public String toString() {
    return "DockerInspectInput[target="
        + target
        + ", "
        + StepTargets.MEMBER
        + "="
        + targets.keySet()
        + "]";
  }
}
