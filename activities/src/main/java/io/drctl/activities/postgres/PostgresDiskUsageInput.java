package io.drctl.activities.postgres;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.activities.targets.StepTargets;
import java.util.Map;

/**
 * The {@code with} of a {@code postgres.diskUsage} step, field for field the {@code params} of
 * {@code postgres.diskUsage} in the action catalog, plus {@value StepTargets#MEMBER}. Absent fields
 * take the catalog's defaults; unknown fields are ignored. Immutable.
 *
 * @param target PostgreSQL target to act on. Host, port, database, user, password reference,
 *     container and data directory come from it.
 * @param warnRatio Largest accepted used/total of the filesystem.
 * @param failOnProblem Fail the step with error type DiskFull when usage is above warnRatio. false:
 *     always succeed and report the finding in the output, for use in if conditions and waitUntil.
 * @param targets the step's targets by name, as the plan holds them
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PostgresDiskUsageInput(
    @JsonProperty("target") String target,
    @JsonProperty("warnRatio") Double warnRatio,
    @JsonProperty("failOnProblem") Boolean failOnProblem,
    @JsonProperty(StepTargets.MEMBER) Map<String, JsonNode> targets) {
  public static final double DEFAULT_WARN_RATIO = 0.8;
  public static final boolean DEFAULT_FAIL_ON_PROBLEM = true;

  public PostgresDiskUsageInput {
    warnRatio = warnRatio == null ? DEFAULT_WARN_RATIO : warnRatio;
    failOnProblem = failOnProblem == null ? DEFAULT_FAIL_ON_PROBLEM : failOnProblem;
    targets = PostgresInputs.targets(targets);
  }

  /** Parameter values and target names only (query parameters are counted, not shown). */
  @Override
  public String toString() {
    return "PostgresDiskUsageInput["
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
