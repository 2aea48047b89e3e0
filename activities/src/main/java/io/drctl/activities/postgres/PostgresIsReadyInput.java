package io.drctl.activities.postgres;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.activities.targets.StepTargets;
import java.util.Map;

/**
 * The {@code with} of a {@code postgres.isReady} step, field for field the {@code params} of {@code
 * postgres.isReady} in the action catalog, plus {@value StepTargets#MEMBER}. Absent fields take the
 * catalog's defaults; unknown fields are ignored. Immutable.
 *
 * @param target PostgreSQL target to act on. Host, port, database, user, password reference,
 *     container and data directory come from it.
 * @param connectTimeout Connect timeout.
 * @param failIfNotReady Fail with ServerUnavailable when the server does not accept connections.
 *     false: report ready false.
 * @param targets the step's targets by name, as the plan holds them
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PostgresIsReadyInput(
    @JsonProperty("target") String target,
    @JsonProperty("connectTimeout") String connectTimeout,
    @JsonProperty("failIfNotReady") Boolean failIfNotReady,
    @JsonProperty(StepTargets.MEMBER) Map<String, JsonNode> targets) {
  public static final String DEFAULT_CONNECT_TIMEOUT = "5s";
  public static final boolean DEFAULT_FAIL_IF_NOT_READY = true;

  public PostgresIsReadyInput {
    connectTimeout = connectTimeout == null ? DEFAULT_CONNECT_TIMEOUT : connectTimeout;
    failIfNotReady = failIfNotReady == null ? DEFAULT_FAIL_IF_NOT_READY : failIfNotReady;
    targets = PostgresInputs.targets(targets);
  }

  /** Parameter values and target names only (query parameters are counted, not shown). */
  @Override
  public String toString() {
    return "PostgresIsReadyInput["
        + "target="
        + target
        + ", "
        + "connectTimeout="
        + connectTimeout
        + ", "
        + "failIfNotReady="
        + failIfNotReady
        + ", "
        + StepTargets.MEMBER
        + "="
        + targets.keySet()
        + "]";
  }
}
