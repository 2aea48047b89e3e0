package io.drctl.activities.backup;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.activities.targets.StepTargets;
import java.util.Map;

/**
 * The {@code with} of a {@code backup.checkDuration} step, field for field the catalog's {@code
 * params}, plus {@value StepTargets#MEMBER}. Immutable.
 *
 * @param store backupStore target holding the backups
 * @param service {@code postgresql} or {@code redis}
 * @param format {@code dump}, {@code basebackup}, {@code rdb} or {@code aof}; {@code null}: any
 * @param factor accepted multiple of the usual (median) duration, at least 1 (default 2)
 * @param window previous backups considered, 1 to 100 (default 7)
 * @param failOnProblem fail the step with {@code BackupSlow} when the check fails (default true)
 * @param targets the step's targets by name, as the plan holds them
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BackupCheckDurationInput(
    @JsonProperty("store") String store,
    @JsonProperty("service") String service,
    @JsonProperty("format") String format,
    @JsonProperty("factor") Double factor,
    @JsonProperty("window") Integer window,
    @JsonProperty("failOnProblem") Boolean failOnProblem,
    @JsonProperty(StepTargets.MEMBER) Map<String, JsonNode> targets) {

  public static final double DEFAULT_FACTOR = 2.0;
  public static final int DEFAULT_WINDOW = 7;

  public BackupCheckDurationInput {
    factor = factor == null ? DEFAULT_FACTOR : factor;
    window = window == null ? DEFAULT_WINDOW : window;
    failOnProblem = failOnProblem == null || failOnProblem;
    targets = BackupInputs.targets(targets);
  }

  @Override
  public String toString() {
    return "BackupCheckDurationInput[store="
        + store
        + ", service="
        + service
        + ", format="
        + format
        + ", factor="
        + factor
        + ", window="
        + window
        + ", failOnProblem="
        + failOnProblem
        + ", "
        + StepTargets.MEMBER
        + "="
        + targets.keySet()
        + "]";
  }
}
