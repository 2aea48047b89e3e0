package io.drctl.activities.postgres;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.activities.targets.StepTargets;
import java.util.Map;

/**
 * The {@code with} of a {@code postgres.connectionStats} step, field for field the {@code params}
 * of {@code postgres.connectionStats} in the action catalog, plus {@value StepTargets#MEMBER}.
 * Absent fields take the catalog's defaults; unknown fields are ignored. Immutable.
 *
 * @param target PostgreSQL target to act on. Host, port, database, user, password reference,
 *     container and data directory come from it.
 * @param warnRatio Largest accepted connections / max_connections.
 * @param maxTransactionAge Largest accepted age of an open transaction (idle in transaction
 *     included).
 * @param failOnProblem Fail the step with error type ConnectionsExhausted when a limit is exceeded.
 *     false: always succeed and report the finding in the output, for use in if conditions and
 *     waitUntil.
 * @param targets the step's targets by name, as the plan holds them
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PostgresConnectionStatsInput(
    @JsonProperty("target") String target,
    @JsonProperty("warnRatio") Double warnRatio,
    @JsonProperty("maxTransactionAge") String maxTransactionAge,
    @JsonProperty("failOnProblem") Boolean failOnProblem,
    @JsonProperty(StepTargets.MEMBER) Map<String, JsonNode> targets) {
  public static final double DEFAULT_WARN_RATIO = 0.9;
  public static final String DEFAULT_MAX_TRANSACTION_AGE = "15m";
  public static final boolean DEFAULT_FAIL_ON_PROBLEM = true;

  public PostgresConnectionStatsInput {
    warnRatio = warnRatio == null ? DEFAULT_WARN_RATIO : warnRatio;
    maxTransactionAge = maxTransactionAge == null ? DEFAULT_MAX_TRANSACTION_AGE : maxTransactionAge;
    failOnProblem = failOnProblem == null ? DEFAULT_FAIL_ON_PROBLEM : failOnProblem;
    targets = PostgresInputs.targets(targets);
  }

  /** Parameter values and target names only (query parameters are counted, not shown). */
  @Override
  public String toString() {
    return "PostgresConnectionStatsInput["
        + "target="
        + target
        + ", "
        + "warnRatio="
        + warnRatio
        + ", "
        + "maxTransactionAge="
        + maxTransactionAge
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
