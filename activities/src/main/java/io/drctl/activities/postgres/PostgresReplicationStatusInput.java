package io.drctl.activities.postgres;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.activities.targets.StepTargets;
import java.util.Map;

/**
 * The {@code with} of a {@code postgres.replicationStatus} step, field for field the {@code params}
 * of {@code postgres.replicationStatus} in the action catalog, plus {@value StepTargets#MEMBER}.
 * Absent fields take the catalog's defaults; unknown fields are ignored. Immutable.
 *
 * @param target PostgreSQL target to act on. Host, port, database, user, password reference,
 *     container and data directory come from it.
 * @param maxLagBytes Largest accepted replication lag in bytes.
 * @param maxLag Largest accepted replay delay.
 * @param minReplicas On a primary: standbys that must be streaming.
 * @param failOnProblem Fail the step with error type ReplicationUnhealthy when lag, streaming
 *     standbys or slots are outside the limits. false: always succeed and report the finding in the
 *     output, for use in if conditions and waitUntil.
 * @param targets the step's targets by name, as the plan holds them
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PostgresReplicationStatusInput(
    @JsonProperty("target") String target,
    @JsonProperty("maxLagBytes") Long maxLagBytes,
    @JsonProperty("maxLag") String maxLag,
    @JsonProperty("minReplicas") Integer minReplicas,
    @JsonProperty("failOnProblem") Boolean failOnProblem,
    @JsonProperty(StepTargets.MEMBER) Map<String, JsonNode> targets) {
  public static final long DEFAULT_MAX_LAG_BYTES = 16777216L;
  public static final String DEFAULT_MAX_LAG = "1m";
  public static final int DEFAULT_MIN_REPLICAS = 0;
  public static final boolean DEFAULT_FAIL_ON_PROBLEM = true;

  public PostgresReplicationStatusInput {
    maxLagBytes = maxLagBytes == null ? DEFAULT_MAX_LAG_BYTES : maxLagBytes;
    maxLag = maxLag == null ? DEFAULT_MAX_LAG : maxLag;
    minReplicas = minReplicas == null ? DEFAULT_MIN_REPLICAS : minReplicas;
    failOnProblem = failOnProblem == null ? DEFAULT_FAIL_ON_PROBLEM : failOnProblem;
    targets = PostgresInputs.targets(targets);
  }

  /** Parameter values and target names only (query parameters are counted, not shown). */
  @Override
  public String toString() {
    return "PostgresReplicationStatusInput["
        + "target="
        + target
        + ", "
        + "maxLagBytes="
        + maxLagBytes
        + ", "
        + "maxLag="
        + maxLag
        + ", "
        + "minReplicas="
        + minReplicas
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
