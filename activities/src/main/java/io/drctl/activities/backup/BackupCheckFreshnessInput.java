package io.drctl.activities.backup;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.activities.targets.StepTargets;
import java.util.Map;

/**
 * The {@code with} of a {@code backup.checkFreshness} step, field for field the catalog's {@code
 * params}, plus {@value StepTargets#MEMBER}. Immutable.
 *
 * @param store backupStore target holding the backups
 * @param service {@code postgresql} or {@code redis}
 * @param format {@code dump}, {@code basebackup}, {@code rdb} or {@code aof}; {@code null}: any
 * @param schedule {@code daily}, {@code weekly} or {@code monthly}, whose period applies
 * @param grace slack after the period, a runbook duration (default {@code 30m})
 * @param failOnProblem fail the step with {@code BackupStale} when the check fails (default true)
 * @param targets the step's targets by name, as the plan holds them
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BackupCheckFreshnessInput(
    @JsonProperty("store") String store,
    @JsonProperty("service") String service,
    @JsonProperty("format") String format,
    @JsonProperty("schedule") String schedule,
    @JsonProperty("grace") String grace,
    @JsonProperty("failOnProblem") Boolean failOnProblem,
    @JsonProperty(StepTargets.MEMBER) Map<String, JsonNode> targets) {

  public static final String DEFAULT_SCHEDULE = "daily";
  public static final String DEFAULT_GRACE = "30m";

  public BackupCheckFreshnessInput {
    schedule = schedule == null ? DEFAULT_SCHEDULE : schedule;
    grace = grace == null ? DEFAULT_GRACE : grace;
    failOnProblem = failOnProblem == null || failOnProblem;
    targets = BackupInputs.targets(targets);
  }

  @Override
  public String toString() {
    return "BackupCheckFreshnessInput[store="
        + store
        + ", service="
        + service
        + ", format="
        + format
        + ", schedule="
        + schedule
        + ", grace="
        + grace
        + ", failOnProblem="
        + failOnProblem
        + ", "
        + StepTargets.MEMBER
        + "="
        + targets.keySet()
        + "]";
  }
}
