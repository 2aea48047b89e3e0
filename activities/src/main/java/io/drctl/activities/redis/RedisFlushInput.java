package io.drctl.activities.redis;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.activities.ActionInputs;
import io.drctl.activities.targets.StepTargets;
import java.util.Map;

/**
 * The {@code with} of a {@code redis.flush} step, field for field the {@code params} of {@code
 * redis.flush} in the action catalog, plus {@value StepTargets#MEMBER}. Absent fields take the
 * catalog's defaults; unknown fields are ignored. Immutable.
 *
 * @param target Redis target to act on. Host, port, password reference, container and data
 *     directory come from it.
 * @param scope db: FLUSHDB of database db; all: FLUSHALL.
 * @param db Database number for scope db.
 * @param async Free memory in the background (ASYNC).
 * @param targets the step's targets by name, as the plan holds them
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RedisFlushInput(
    @JsonProperty("target") String target,
    @JsonProperty("scope") String scope,
    @JsonProperty("db") Integer db,
    @JsonProperty("async") Boolean async,
    @JsonProperty(StepTargets.MEMBER) Map<String, JsonNode> targets) {
  public static final String DEFAULT_SCOPE = "db";
  public static final int DEFAULT_DB = 0;
  public static final boolean DEFAULT_ASYNC = true;

  public RedisFlushInput {
    scope = scope == null ? DEFAULT_SCOPE : scope;
    db = db == null ? DEFAULT_DB : db;
    async = async == null ? DEFAULT_ASYNC : async;
    targets = ActionInputs.targets(targets);
  }

  /** Parameter values and target names only (target properties hold secret references). */
  @Override
  public String toString() {
    return "RedisFlushInput["
        + "target="
        + target
        + ", "
        + "scope="
        + scope
        + ", "
        + "db="
        + db
        + ", "
        + "async="
        + async
        + ", "
        + StepTargets.MEMBER
        + "="
        + targets.keySet()
        + "]";
  }
}
