package io.drctl.activities.postgres;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.activities.targets.StepTargets;
import java.util.Map;

/**
 * The {@code with} of a {@code postgres.archiveStatus} step, field for field the {@code params} of
 * {@code postgres.archiveStatus} in the action catalog, plus {@value StepTargets#MEMBER}. Absent
 * fields take the catalog's defaults; unknown fields are ignored. Immutable.
 *
 * @param target PostgreSQL target to act on. Host, port, database, user, password reference,
 *     container and data directory come from it.
 * @param maxAge Largest accepted age of the last archived segment; the WAL part of the RPO.
 * @param switchWal Call pg_switch_wal() first and wait up to 1m for the segment to be archived.
 * @param failOnProblem Fail the step with error type ArchiveUnhealthy when archiving failed or is
 *     older than maxAge. false: always succeed and report the finding in the output, for use in if
 *     conditions and waitUntil.
 * @param targets the step's targets by name, as the plan holds them
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PostgresArchiveStatusInput(
    @JsonProperty("target") String target,
    @JsonProperty("maxAge") String maxAge,
    @JsonProperty("switchWal") Boolean switchWal,
    @JsonProperty("failOnProblem") Boolean failOnProblem,
    @JsonProperty(StepTargets.MEMBER) Map<String, JsonNode> targets) {
  public static final String DEFAULT_MAX_AGE = "15m";
  public static final boolean DEFAULT_SWITCH_WAL = false;
  public static final boolean DEFAULT_FAIL_ON_PROBLEM = true;

  public PostgresArchiveStatusInput {
    maxAge = maxAge == null ? DEFAULT_MAX_AGE : maxAge;
    switchWal = switchWal == null ? DEFAULT_SWITCH_WAL : switchWal;
    failOnProblem = failOnProblem == null ? DEFAULT_FAIL_ON_PROBLEM : failOnProblem;
    targets = PostgresInputs.targets(targets);
  }

  /** Parameter values and target names only (query parameters are counted, not shown). */
  @Override
  public String toString() {
    return "PostgresArchiveStatusInput["
        + "target="
        + target
        + ", "
        + "maxAge="
        + maxAge
        + ", "
        + "switchWal="
        + switchWal
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
