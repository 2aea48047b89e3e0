package io.drctl.activities.docker;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.activities.targets.StepTargets;
import java.util.Map;

/**
 * The {@code with} of a {@code docker.snapshotVolume} step, field for field the {@code params} of
 * {@code docker.snapshotVolume} in the action catalog, plus {@value StepTargets#MEMBER}. Immutable.
 *
 * @param target postgres or redis target whose volume is copied
 * @param volume the volume's name, or {@code null} for the target's volume
 * @param store backupStore target that receives the copy
 * @param pause pause the containers using the volume during the copy
 * @param bestEffort keep what could be read instead of failing on an unreadable file
 * @param label label stored with the copy, part of its name
 * @param targets the step's targets by name, as the plan holds them
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DockerSnapshotVolumeInput(
    @JsonProperty("target") String target,
    @JsonProperty("volume") String volume,
    @JsonProperty("store") String store,
    @JsonProperty("pause") Boolean pause,
    @JsonProperty("bestEffort") Boolean bestEffort,
    @JsonProperty("label") String label,
    @JsonProperty(StepTargets.MEMBER) Map<String, JsonNode> targets) {

  public static final String DEFAULT_LABEL = "pre-change";

  public DockerSnapshotVolumeInput {
    pause = pause != null && pause;
    bestEffort = bestEffort != null && bestEffort;
    label = label == null ? DEFAULT_LABEL : label;
    targets = DockerInputs.targets(targets);
  }

  public static DockerSnapshotVolumeInput of(
      String target, String store, Map<String, JsonNode> targets) {
    return new DockerSnapshotVolumeInput(target, null, store, null, null, null, targets);
  }

  public DockerSnapshotVolumeInput withPause(boolean pauseContainers) {
    return new DockerSnapshotVolumeInput(
        target, volume, store, pauseContainers, bestEffort, label, targets);
  }

  public DockerSnapshotVolumeInput withLabel(String newLabel) {
    return new DockerSnapshotVolumeInput(
        target, volume, store, pause, bestEffort, newLabel, targets);
  }

  public DockerSnapshotVolumeInput withVolume(String name) {
    return new DockerSnapshotVolumeInput(target, name, store, pause, bestEffort, label, targets);
  }

  @Override
  public String toString() {
    return "DockerSnapshotVolumeInput[target="
        + target
        + ", volume="
        + volume
        + ", store="
        + store
        + ", pause="
        + pause
        + ", bestEffort="
        + bestEffort
        + ", label="
        + label
        + ", "
        + StepTargets.MEMBER
        + "="
        + targets.keySet()
        + "]";
  }
}
