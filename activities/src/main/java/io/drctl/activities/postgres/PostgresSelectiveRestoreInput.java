package io.drctl.activities.postgres;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.activities.targets.StepTargets;
import java.util.List;
import java.util.Map;

/**
 * The {@code with} of a {@code postgres.selectiveRestore} step, field for field the {@code params}
 * of {@code postgres.selectiveRestore} in the action catalog, plus {@value StepTargets#MEMBER}.
 * Absent fields take the catalog's defaults; unknown fields are ignored. Immutable.
 *
 * @param source Server holding the good data.
 * @param target Production server receiving the tables.
 * @param tables Tables to copy, as an array or a comma separated string of schema.table (public.
 *     may be omitted).
 * @param mode replace: target rows become exactly the source rows; upsert: source rows are added or
 *     overwrite rows with the same primary key, other target rows stay.
 * @param lockTimeout lock_timeout for taking the table locks.
 * @param dryRun Compute what would change, then roll back.
 * @param targets the step's targets by name, as the plan holds them
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PostgresSelectiveRestoreInput(
    @JsonProperty("source") String source,
    @JsonProperty("target") String target,
    @JsonProperty("tables") @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
        List<String> tables,
    @JsonProperty("mode") String mode,
    @JsonProperty("lockTimeout") String lockTimeout,
    @JsonProperty("dryRun") Boolean dryRun,
    @JsonProperty(StepTargets.MEMBER) Map<String, JsonNode> targets) {
  public static final String DEFAULT_MODE = "replace";
  public static final String DEFAULT_LOCK_TIMEOUT = "10s";
  public static final boolean DEFAULT_DRY_RUN = false;

  public PostgresSelectiveRestoreInput {
    tables = tables == null ? null : PostgresInputs.list(tables);
    mode = mode == null ? DEFAULT_MODE : mode;
    lockTimeout = lockTimeout == null ? DEFAULT_LOCK_TIMEOUT : lockTimeout;
    dryRun = dryRun == null ? DEFAULT_DRY_RUN : dryRun;
    targets = PostgresInputs.targets(targets);
  }

  /** Parameter values and target names only (query parameters are counted, not shown). */
  @Override
  public String toString() {
    return "PostgresSelectiveRestoreInput["
        + "source="
        + source
        + ", "
        + "target="
        + target
        + ", "
        + "tables="
        + tables
        + ", "
        + "mode="
        + mode
        + ", "
        + "lockTimeout="
        + lockTimeout
        + ", "
        + "dryRun="
        + dryRun
        + ", "
        + StepTargets.MEMBER
        + "="
        + targets.keySet()
        + "]";
  }
}
