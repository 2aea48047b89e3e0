package io.drctl.activities.backup;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.activities.targets.StepTargets;
import java.util.Map;

/**
 * The {@code with} of a {@code backup.checkSize} step, field for field the catalog's {@code
 * params}, plus {@value StepTargets#MEMBER}. Immutable.
 *
 * @param store backupStore target holding the backups
 * @param service {@code postgresql} or {@code redis}
 * @param format {@code dump}, {@code basebackup}, {@code rdb} or {@code aof}; {@code null}: any
 * @param threshold accepted growth over the average, as a fraction (default 0.2)
 * @param window previous backups averaged, 1 to 100 (default 7)
 * @param failOnProblem fail the step with {@code BackupOversized} when the check fails (default
 *     true)
 * @param targets the step's targets by name, as the plan holds them
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BackupCheckSizeInput(
    @JsonProperty("store") String store,
    @JsonProperty("service") String service,
    @JsonProperty("format") String format,
    @JsonProperty("threshold") Double threshold,
    @JsonProperty("window") Integer window,
    @JsonProperty("failOnProblem") Boolean failOnProblem,
    @JsonProperty(StepTargets.MEMBER) Map<String, JsonNode> targets) {

  public static final double DEFAULT_THRESHOLD = 0.2;
  public static final int DEFAULT_WINDOW = 7;
  public static final int WINDOW_MAXIMUM = 100;

  public BackupCheckSizeInput {
    threshold = threshold == null ? DEFAULT_THRESHOLD : threshold;
    window = window == null ? DEFAULT_WINDOW : window;
    failOnProblem = failOnProblem == null || failOnProblem;
    targets = BackupInputs.targets(targets);
  }

  @Override
  public String toString() {
    return "BackupCheckSizeInput[store="
        + store
        + ", service="
        + service
        + ", format="
        + format
        + ", threshold="
        + threshold
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
