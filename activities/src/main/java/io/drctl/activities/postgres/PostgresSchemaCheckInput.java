package io.drctl.activities.postgres;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.activities.targets.StepTargets;
import java.util.List;
import java.util.Map;

/**
 * The {@code with} of a {@code postgres.schemaCheck} step, field for field the {@code params} of
 * {@code postgres.schemaCheck} in the action catalog, plus {@value StepTargets#MEMBER}. Absent
 * fields take the catalog's defaults; unknown fields are ignored. Immutable.
 *
 * @param target PostgreSQL target to act on. Host, port, database, user, password reference,
 *     container and data directory come from it.
 * @param database Database to check. Defaults to the target's database.
 * @param requiredTables Tables (schema.table) that must exist.
 * @param reference Server whose schema must be identical. Absent: no comparison with a server.
 * @param store Store holding backupId.
 * @param backupId Backup whose recorded schema must be identical. Absent: no comparison with a
 *     backup.
 * @param failOnProblem Fail the step with error type SchemaMismatch when a required table is
 *     missing or the schema differs. false: always succeed and report the finding in the output,
 *     for use in if conditions and waitUntil.
 * @param targets the step's targets by name, as the plan holds them
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PostgresSchemaCheckInput(
    @JsonProperty("target") String target,
    @JsonProperty("database") String database,
    @JsonProperty("requiredTables") List<String> requiredTables,
    @JsonProperty("reference") String reference,
    @JsonProperty("store") String store,
    @JsonProperty("backupId") String backupId,
    @JsonProperty("failOnProblem") Boolean failOnProblem,
    @JsonProperty(StepTargets.MEMBER) Map<String, JsonNode> targets) {
  public static final boolean DEFAULT_FAIL_ON_PROBLEM = true;

  public PostgresSchemaCheckInput {
    requiredTables = PostgresInputs.list(requiredTables);
    failOnProblem = failOnProblem == null ? DEFAULT_FAIL_ON_PROBLEM : failOnProblem;
    targets = PostgresInputs.targets(targets);
  }

  /** Parameter values and target names only (query parameters are counted, not shown). */
  @Override
  public String toString() {
    return "PostgresSchemaCheckInput["
        + "target="
        + target
        + ", "
        + "database="
        + database
        + ", "
        + "requiredTables="
        + requiredTables
        + ", "
        + "reference="
        + reference
        + ", "
        + "store="
        + store
        + ", "
        + "backupId="
        + backupId
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
