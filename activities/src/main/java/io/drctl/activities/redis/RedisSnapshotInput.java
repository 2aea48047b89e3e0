package io.drctl.activities.redis;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.activities.ActionInputs;
import io.drctl.activities.targets.StepTargets;
import java.util.Map;

/**
 * The {@code with} of a {@code redis.snapshot} step, field for field the {@code params} of {@code
 * redis.snapshot} in the action catalog, plus {@value StepTargets#MEMBER}. Absent fields take the
 * catalog's defaults; unknown fields are ignored. Immutable.
 *
 * @param target Redis target to act on. Host, port, password reference, container and data
 *     directory come from it.
 * @param store Store that receives the safety copy.
 * @param bestEffort Copy what can be read and list unreadable files instead of failing (cold copies
 *     only).
 * @param label Label stored with the copy.
 * @param targets the step's targets by name, as the plan holds them
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RedisSnapshotInput(
    @JsonProperty("target") String target,
    @JsonProperty("store") String store,
    @JsonProperty("bestEffort") Boolean bestEffort,
    @JsonProperty("label") String label,
    @JsonProperty(StepTargets.MEMBER) Map<String, JsonNode> targets) {
  public static final boolean DEFAULT_BEST_EFFORT = false;
  public static final String DEFAULT_LABEL = "pre-change";

  public RedisSnapshotInput {
    bestEffort = bestEffort == null ? DEFAULT_BEST_EFFORT : bestEffort;
    label = label == null ? DEFAULT_LABEL : label;
    targets = ActionInputs.targets(targets);
  }

  /** Parameter values and target names only (target properties hold secret references). */
  @Override
  public String toString() {
    return "RedisSnapshotInput["
        + "target="
        + target
        + ", "
        + "store="
        + store
        + ", "
        + "bestEffort="
        + bestEffort
        + ", "
        + "label="
        + label
        + ", "
        + StepTargets.MEMBER
        + "="
        + targets.keySet()
        + "]";
  }
}
