package io.drctl.activities.redis;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.activities.ActionInputs;
import io.drctl.activities.targets.StepTargets;
import java.util.Map;

/**
 * The {@code with} of a {@code redis.backup} step, field for field the {@code params} of {@code
 * redis.backup} in the action catalog, plus {@value StepTargets#MEMBER}. Absent fields take the
 * catalog's defaults; unknown fields are ignored. Immutable.
 *
 * @param target Redis target to act on. Host, port, password reference, container and data
 *     directory come from it.
 * @param store Backup store target (local directory or S3 bucket) that holds the backups and their
 *     metadata.
 * @param type rdb: a snapshot; aof: the append-only files (requires appendonly yes).
 * @param schedule Retention class recorded in the backup's metadata: daily, weekly and monthly are
 *     kept by the store's retention counts; manual only by maxAge.
 * @param saveTimeout How long to wait for BGSAVE or a running AOF rewrite.
 * @param label Free text stored as the backup's notes.
 * @param targets the step's targets by name, as the plan holds them
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RedisBackupInput(
    @JsonProperty("target") String target,
    @JsonProperty("store") String store,
    @JsonProperty("type") String type,
    @JsonProperty("schedule") String schedule,
    @JsonProperty("saveTimeout") String saveTimeout,
    @JsonProperty("label") String label,
    @JsonProperty(StepTargets.MEMBER) Map<String, JsonNode> targets) {
  public static final String DEFAULT_TYPE = "rdb";
  public static final String DEFAULT_SCHEDULE = "manual";
  public static final String DEFAULT_SAVE_TIMEOUT = "10m";

  public RedisBackupInput {
    type = type == null ? DEFAULT_TYPE : type;
    schedule = schedule == null ? DEFAULT_SCHEDULE : schedule;
    saveTimeout = saveTimeout == null ? DEFAULT_SAVE_TIMEOUT : saveTimeout;
    targets = ActionInputs.targets(targets);
  }

  /** Parameter values and target names only (target properties hold secret references). */
  @Override
  public String toString() {
    return "RedisBackupInput["
        + "target="
        + target
        + ", "
        + "store="
        + store
        + ", "
        + "type="
        + type
        + ", "
        + "schedule="
        + schedule
        + ", "
        + "saveTimeout="
        + saveTimeout
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
