package io.drctl.activities.docker;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.activities.targets.StepTargets;
import java.util.Map;

/**
 * The {@code with} of a {@code docker.copyFrom} step, field for field the {@code params} of {@code
 * docker.copyFrom} in the action catalog, plus {@value StepTargets#MEMBER}. Immutable.
 *
 * @param target container, postgres or redis target whose container is copied from
 * @param source file or directory in the container
 * @param destination the path the copy becomes on the worker; its parent is created
 * @param overwrite replace an existing destination on the worker
 * @param targets the step's targets by name, as the plan holds them
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DockerCopyFromInput(
    @JsonProperty("target") String target,
    @JsonProperty("source") String source,
    @JsonProperty("destination") String destination,
    @JsonProperty("overwrite") Boolean overwrite,
    @JsonProperty(StepTargets.MEMBER) Map<String, JsonNode> targets) {

  public DockerCopyFromInput {
    overwrite = overwrite != null && overwrite;
    targets = DockerInputs.targets(targets);
  }

  public static DockerCopyFromInput of(
      String target, String source, String destination, Map<String, JsonNode> targets) {
    return new DockerCopyFromInput(target, source, destination, null, targets);
  }

  public DockerCopyFromInput withOverwrite(boolean replace) {
    return new DockerCopyFromInput(target, source, destination, replace, targets);
  }

  @Override
  public String toString() {
    return "DockerCopyFromInput[target="
        + target
        + ", source="
        + source
        + ", destination="
        + destination
        + ", overwrite="
        + overwrite
        + ", "
        + StepTargets.MEMBER
        + "="
        + targets.keySet()
        + "]";
  }
}
