package io.drctl.activities.postgres;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.activities.targets.StepTargets;
import java.util.Map;

/**
 * The {@code with} of a {@code postgres.rejoin} step, field for field the {@code params} of {@code
 * postgres.rejoin} in the action catalog, plus {@value StepTargets#MEMBER}. Absent fields take the
 * catalog's defaults; unknown fields are ignored. Immutable.
 *
 * @param target The former primary to turn into a standby. Needs container and dataDirectory.
 * @param source The current primary to follow.
 * @param method rewind: pg_rewind, fast; reclone: replace the data directory with a new base
 *     backup.
 * @param fallbackToReclone Reclone when pg_rewind fails.
 * @param replicationSlot Physical replication slot on source to use (created if missing). Absent:
 *     none.
 * @param streamTimeout How long to wait for the rejoined standby to start streaming.
 * @param targets the step's targets by name, as the plan holds them
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PostgresRejoinInput(
    @JsonProperty("target") String target,
    @JsonProperty("source") String source,
    @JsonProperty("method") String method,
    @JsonProperty("fallbackToReclone") Boolean fallbackToReclone,
    @JsonProperty("replicationSlot") String replicationSlot,
    @JsonProperty("streamTimeout") String streamTimeout,
    @JsonProperty(StepTargets.MEMBER) Map<String, JsonNode> targets) {
  public static final String DEFAULT_METHOD = "rewind";
  public static final boolean DEFAULT_FALLBACK_TO_RECLONE = true;
  public static final String DEFAULT_STREAM_TIMEOUT = "5m";

  public PostgresRejoinInput {
    method = method == null ? DEFAULT_METHOD : method;
    fallbackToReclone = fallbackToReclone == null ? DEFAULT_FALLBACK_TO_RECLONE : fallbackToReclone;
    streamTimeout = streamTimeout == null ? DEFAULT_STREAM_TIMEOUT : streamTimeout;
    targets = PostgresInputs.targets(targets);
  }

  /** Parameter values and target names only (query parameters are counted, not shown). */
  @Override
  public String toString() {
    return "PostgresRejoinInput["
        + "target="
        + target
        + ", "
        + "source="
        + source
        + ", "
        + "method="
        + method
        + ", "
        + "fallbackToReclone="
        + fallbackToReclone
        + ", "
        + "replicationSlot="
        + replicationSlot
        + ", "
        + "streamTimeout="
        + streamTimeout
        + ", "
        + StepTargets.MEMBER
        + "="
        + targets.keySet()
        + "]";
  }
}
