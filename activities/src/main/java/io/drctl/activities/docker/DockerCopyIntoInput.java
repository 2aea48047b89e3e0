package io.drctl.activities.docker;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.activities.targets.StepTargets;
import java.util.Map;

/**
 * The {@code with} of a {@code docker.copyInto} step, field for field the {@code params} of {@code
 * docker.copyInto} in the action catalog, plus {@value StepTargets#MEMBER}. Immutable.
 *
 * @param target container, postgres or redis target whose container receives the copy
 * @param source file or directory on the worker
 * @param destination the path the source becomes in the container; its parent must exist
 * @param owner {@code user[:group]} (names in the container) for the copied files, or {@code null}
 *     for root
 * @param mode octal mode for copied files (directories also get search permission where they get
 *     read permission), or {@code null} to keep the source's
 * @param overwrite replace an existing destination
 * @param targets the step's targets by name, as the plan holds them
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DockerCopyIntoInput(
    @JsonProperty("target") String target,
    @JsonProperty("source") String source,
    @JsonProperty("destination") String destination,
    @JsonProperty("owner") String owner,
    @JsonProperty("mode") String mode,
    @JsonProperty("overwrite") Boolean overwrite,
    @JsonProperty(StepTargets.MEMBER) Map<String, JsonNode> targets) {

  public DockerCopyIntoInput {
    overwrite = overwrite != null && overwrite;
    targets = DockerInputs.targets(targets);
  }

  public static DockerCopyIntoInput of(
      String target, String source, String destination, Map<String, JsonNode> targets) {
    return new DockerCopyIntoInput(target, source, destination, null, null, null, targets);
  }

  public DockerCopyIntoInput withOwnerAndMode(String newOwner, String newMode) {
    return new DockerCopyIntoInput(
        target, source, destination, newOwner, newMode, overwrite, targets);
  }

  public DockerCopyIntoInput withOverwrite(boolean replace) {
    return new DockerCopyIntoInput(target, source, destination, owner, mode, replace, targets);
  }

  @Override
  public String toString() {
    return "DockerCopyIntoInput[target="
        + target
        + ", source="
        + source
        + ", destination="
        + destination
        + ", owner="
        + owner
        + ", mode="
        + mode
        + ", overwrite="
        + overwrite
        + ", "
        + StepTargets.MEMBER
        + "="
        + targets.keySet()
        + "]";
  }
}
