package io.drctl.activities.redis;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.activities.ActionInputs;
import io.drctl.activities.targets.StepTargets;
import java.util.Map;

/**
 * The {@code with} of a {@code redis.info} step, field for field the {@code params} of {@code
 * redis.info} in the action catalog, plus {@value StepTargets#MEMBER}. Absent fields take the
 * catalog's defaults; unknown fields are ignored. Immutable.
 *
 * @param target Redis target to act on. Host, port, password reference, container and data
 *     directory come from it.
 * @param warnRatio Largest accepted usedRatio (the seed alerts at 0.8 and 0.9).
 * @param failOnProblem Fail with RedisUnhealthy when not healthy. false (default): report only, for
 *     if conditions.
 * @param targets the step's targets by name, as the plan holds them
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RedisInfoInput(
    @JsonProperty("target") String target,
    @JsonProperty("warnRatio") Double warnRatio,
    @JsonProperty("failOnProblem") Boolean failOnProblem,
    @JsonProperty(StepTargets.MEMBER) Map<String, JsonNode> targets) {
  public static final double DEFAULT_WARN_RATIO = 0.8;
  public static final boolean DEFAULT_FAIL_ON_PROBLEM = false;

  public RedisInfoInput {
    warnRatio = warnRatio == null ? DEFAULT_WARN_RATIO : warnRatio;
    failOnProblem = failOnProblem == null ? DEFAULT_FAIL_ON_PROBLEM : failOnProblem;
    targets = ActionInputs.targets(targets);
  }

  /** Parameter values and target names only (target properties hold secret references). */
  @Override
  public String toString() {
    return "RedisInfoInput["
        + "target="
        + target
        + ", "
        + "warnRatio="
        + warnRatio
        + ", "
        + "failOnProblem="
        + failOnProblem
        + ", "
        + StepTargets.MEMBER
        + "="
        + targets.keySet()
        + "]";
  }
}
