package io.drctl.activities.redis;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.activities.ActionInputs;
import io.drctl.activities.targets.StepTargets;
import java.util.Map;

/**
 * The {@code with} of a {@code redis.checkAof} step, field for field the {@code params} of {@code
 * redis.checkAof} in the action catalog, plus {@value StepTargets#MEMBER}. Absent fields take the
 * catalog's defaults; unknown fields are ignored. Immutable.
 *
 * @param target Redis target whose appendonlydir is checked. Ignored when from is given.
 * @param store Store holding the AOF backup to check.
 * @param from AOF backup to check (selector or id) instead of the live files.
 * @param failOnProblem Fail the step with error type AofCorrupt when the AOF is not valid. false:
 *     always succeed and report the finding in the output, for use in if conditions and waitUntil.
 * @param targets the step's targets by name, as the plan holds them
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RedisCheckAofInput(
    @JsonProperty("target") String target,
    @JsonProperty("store") String store,
    @JsonProperty("from") String from,
    @JsonProperty("failOnProblem") Boolean failOnProblem,
    @JsonProperty(StepTargets.MEMBER) Map<String, JsonNode> targets) {
  public static final boolean DEFAULT_FAIL_ON_PROBLEM = true;

  public RedisCheckAofInput {
    failOnProblem = failOnProblem == null ? DEFAULT_FAIL_ON_PROBLEM : failOnProblem;
    targets = ActionInputs.targets(targets);
  }

  /** Parameter values and target names only (target properties hold secret references). */
  @Override
  public String toString() {
    return "RedisCheckAofInput["
        + "target="
        + target
        + ", "
        + "store="
        + store
        + ", "
        + "from="
        + from
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
