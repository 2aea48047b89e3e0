package io.drctl.activities.docker;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.activities.targets.StepTargets;
import java.util.Map;

/**
 * The {@code with} of a {@code docker.removeVolume} step, field for field the {@code params} of
 * {@code docker.removeVolume} in the action catalog, plus {@value StepTargets#MEMBER}. Immutable.
 *
 * @param target postgres or redis target whose volume is removed and whose container uses it
 * @param volume the volume's name, or {@code null} for the target's volume
 * @param recreateContainer create an empty volume of the same name and recreate the (stopped)
 *     container on it
 * @param targets the step's targets by name, as the plan holds them
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DockerRemoveVolumeInput(
    @JsonProperty("target") String target,
    @JsonProperty("volume") String volume,
    @JsonProperty("recreateContainer") Boolean recreateContainer,
    @JsonProperty(StepTargets.MEMBER) Map<String, JsonNode> targets) {

  public DockerRemoveVolumeInput {
    recreateContainer = recreateContainer == null || recreateContainer;
    targets = DockerInputs.targets(targets);
  }

  public static DockerRemoveVolumeInput of(String target, Map<String, JsonNode> targets) {
    return new DockerRemoveVolumeInput(target, null, null, targets);
  }

  public DockerRemoveVolumeInput withVolume(String name) {
    return new DockerRemoveVolumeInput(target, name, recreateContainer, targets);
  }

  public DockerRemoveVolumeInput withRecreateContainer(boolean recreate) {
    return new DockerRemoveVolumeInput(target, volume, recreate, targets);
  }

  @Override
  public String toString() {
    return "DockerRemoveVolumeInput[target="
        + target
        + ", volume="
        + volume
        + ", recreateContainer="
        + recreateContainer
        + ", "
        + StepTargets.MEMBER
        + "="
        + targets.keySet()
        + "]";
  }
}
