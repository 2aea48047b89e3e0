package io.drctl.activities.postgres;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.activities.targets.StepTargets;
import java.util.Map;

/**
 * The {@code with} of a {@code postgres.promote} step, field for field the {@code params} of {@code
 * postgres.promote} in the action catalog, plus {@value StepTargets#MEMBER}. Absent fields take the
 * catalog's defaults; unknown fields are ignored. Immutable.
 *
 * @param target The standby to promote.
 * @param fence The old primary to fence before promotion. Absent: no fencing (only with force).
 * @param fenceMode stopContainer stops the old primary's container; rejectConnections sets
 *     default_transaction_read_only and terminates sessions when it still answers.
 * @param force Promote even when fencing failed or the standby lags beyond maxLagBytes.
 * @param maxLagBytes Largest standby lag accepted without force.
 * @param waitSeconds pg_promote wait_seconds.
 * @param targets the step's targets by name, as the plan holds them
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PostgresPromoteInput(
    @JsonProperty("target") String target,
    @JsonProperty("fence") String fence,
    @JsonProperty("fenceMode") String fenceMode,
    @JsonProperty("force") Boolean force,
    @JsonProperty("maxLagBytes") Long maxLagBytes,
    @JsonProperty("waitSeconds") Integer waitSeconds,
    @JsonProperty(StepTargets.MEMBER) Map<String, JsonNode> targets) {
  public static final String DEFAULT_FENCE_MODE = "stopContainer";
  public static final boolean DEFAULT_FORCE = false;
  public static final long DEFAULT_MAX_LAG_BYTES = 16777216L;
  public static final int DEFAULT_WAIT_SECONDS = 60;

  public PostgresPromoteInput {
    fenceMode = fenceMode == null ? DEFAULT_FENCE_MODE : fenceMode;
    force = force == null ? DEFAULT_FORCE : force;
    maxLagBytes = maxLagBytes == null ? DEFAULT_MAX_LAG_BYTES : maxLagBytes;
    waitSeconds = waitSeconds == null ? DEFAULT_WAIT_SECONDS : waitSeconds;
    targets = PostgresInputs.targets(targets);
  }

  /** Parameter values and target names only (query parameters are counted, not shown). */
  @Override
  public String toString() {
    return "PostgresPromoteInput["
        + "target="
        + target
        + ", "
        + "fence="
        + fence
        + ", "
        + "fenceMode="
        + fenceMode
        + ", "
        + "force="
        + force
        + ", "
        + "maxLagBytes="
        + maxLagBytes
        + ", "
        + "waitSeconds="
        + waitSeconds
        + ", "
        + StepTargets.MEMBER
        + "="
        + targets.keySet()
        + "]";
  }
}
