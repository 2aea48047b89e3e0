package io.drctl.activities.redis;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.activities.ActionInputs;
import io.drctl.activities.targets.StepTargets;
import java.util.Map;

/**
 * The {@code with} of a {@code redis.replicaOf} step, field for field the {@code params} of {@code
 * redis.replicaOf} in the action catalog, plus {@value StepTargets#MEMBER}. Absent fields take the
 * catalog's defaults; unknown fields are ignored. Immutable.
 *
 * @param target Redis target to reconfigure.
 * @param source Redis target to replicate from. Omit to make the target a master (REPLICAOF NO
 *     ONE).
 * @param syncTimeout How long to wait for the link to come up and the initial sync to finish.
 * @param targets the step's targets by name, as the plan holds them
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RedisReplicaOfInput(
    @JsonProperty("target") String target,
    @JsonProperty("source") String source,
    @JsonProperty("syncTimeout") String syncTimeout,
    @JsonProperty(StepTargets.MEMBER) Map<String, JsonNode> targets) {
  public static final String DEFAULT_SYNC_TIMEOUT = "2m";

  public RedisReplicaOfInput {
    syncTimeout = syncTimeout == null ? DEFAULT_SYNC_TIMEOUT : syncTimeout;
    targets = ActionInputs.targets(targets);
  }

  /** Parameter values and target names only (target properties hold secret references). */
  @Override
  public String toString() {
    return "RedisReplicaOfInput["
        + "target="
        + target
        + ", "
        + "source="
        + source
        + ", "
        + "syncTimeout="
        + syncTimeout
        + ", "
        + StepTargets.MEMBER
        + "="
        + targets.keySet()
        + "]";
  }
}
