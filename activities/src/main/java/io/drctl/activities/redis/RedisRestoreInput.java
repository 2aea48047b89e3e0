package io.drctl.activities.redis;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.activities.ActionInputs;
import io.drctl.activities.targets.StepTargets;
import java.util.Map;

/**
 * The {@code with} of a {@code redis.restore} step, field for field the {@code params} of {@code
 * redis.restore} in the action catalog, plus {@value StepTargets#MEMBER}. Absent fields take the
 * catalog's defaults; unknown fields are ignored. Immutable.
 *
 * @param target Redis target to restore. Needs dataDirectory (inside the container when it names
 *     one); the worker changes the files on its own host or through the container volume's host
 *     path.
 * @param store Backup store target (local directory or S3 bucket) that holds the backups and their
 *     metadata.
 * @param type Kind of backup to restore.
 * @param from Which backup: latest, daily, weekly, monthly or manual (the newest of that schedule;
 *     manual: taken on demand, such as a safety copy), YYYYMMDD (the newest taken that UTC day), s3
 *     (the newest, and the store must be an S3 store), or an exact backup id such as the backupId
 *     output of backup.select.
 * @param enableAof rdb only: turn AOF on after loading, as described, so that restarts keep the
 *     data.
 * @param loadTimeout How long to wait for Redis to load the data.
 * @param targets the step's targets by name, as the plan holds them
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RedisRestoreInput(
    @JsonProperty("target") String target,
    @JsonProperty("store") String store,
    @JsonProperty("type") String type,
    @JsonProperty("from") String from,
    @JsonProperty("enableAof") Boolean enableAof,
    @JsonProperty("loadTimeout") String loadTimeout,
    @JsonProperty(StepTargets.MEMBER) Map<String, JsonNode> targets) {
  public static final String DEFAULT_FROM = "latest";
  public static final boolean DEFAULT_ENABLE_AOF = true;
  public static final String DEFAULT_LOAD_TIMEOUT = "5m";

  public RedisRestoreInput {
    from = from == null ? DEFAULT_FROM : from;
    enableAof = enableAof == null ? DEFAULT_ENABLE_AOF : enableAof;
    loadTimeout = loadTimeout == null ? DEFAULT_LOAD_TIMEOUT : loadTimeout;
    targets = ActionInputs.targets(targets);
  }

  /** Parameter values and target names only (target properties hold secret references). */
  @Override
  public String toString() {
    return "RedisRestoreInput["
        + "target="
        + target
        + ", "
        + "store="
        + store
        + ", "
        + "type="
        + type
        + ", "
        + "from="
        + from
        + ", "
        + "enableAof="
        + enableAof
        + ", "
        + "loadTimeout="
        + loadTimeout
        + ", "
        + StepTargets.MEMBER
        + "="
        + targets.keySet()
        + "]";
  }
}
