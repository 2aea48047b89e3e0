package io.drctl.activities.postgres;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.activities.targets.StepTargets;
import java.util.List;
import java.util.Map;

/**
 * The {@code with} of a {@code postgres.snapshot} step, field for field the {@code params} of
 * {@code postgres.snapshot} in the action catalog, plus {@value StepTargets#MEMBER}. Absent fields
 * take the catalog's defaults; unknown fields are ignored. Immutable.
 *
 * @param target PostgreSQL target to act on. Host, port, database, user, password reference,
 *     container and data directory come from it.
 * @param store Store that receives the safety copy.
 * @param method dataDirectory: physical copy of the cluster; dump: pg_dump -Fc of the database.
 * @param tables method dump only: tables to copy, as an array or a comma separated string of
 *     schema.table. Absent: whole database.
 * @param bestEffort Copy what can be read and list unreadable files in the output instead of
 *     failing (cold copies only).
 * @param label Label stored with the copy.
 * @param targets the step's targets by name, as the plan holds them
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PostgresSnapshotInput(
    @JsonProperty("target") String target,
    @JsonProperty("store") String store,
    @JsonProperty("method") String method,
    @JsonProperty("tables") @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
        List<String> tables,
    @JsonProperty("bestEffort") Boolean bestEffort,
    @JsonProperty("label") String label,
    @JsonProperty(StepTargets.MEMBER) Map<String, JsonNode> targets) {
  public static final String DEFAULT_METHOD = "dataDirectory";
  public static final boolean DEFAULT_BEST_EFFORT = false;
  public static final String DEFAULT_LABEL = "pre-change";

  public PostgresSnapshotInput {
    method = method == null ? DEFAULT_METHOD : method;
    tables = tables == null ? null : PostgresInputs.list(tables);
    bestEffort = bestEffort == null ? DEFAULT_BEST_EFFORT : bestEffort;
    label = label == null ? DEFAULT_LABEL : label;
    targets = PostgresInputs.targets(targets);
  }

  /** Parameter values and target names only (query parameters are counted, not shown). */
  @Override
  public String toString() {
    return "PostgresSnapshotInput["
        + "target="
        + target
        + ", "
        + "store="
        + store
        + ", "
        + "method="
        + method
        + ", "
        + "tables="
        + tables
        + ", "
        + "bestEffort="
        + bestEffort
        + ", "
        + "label="
        + label
        + ", "
        + StepTargets.MEMBER
        + "="
        + targets.keySet()
        + "]";
  }
}
