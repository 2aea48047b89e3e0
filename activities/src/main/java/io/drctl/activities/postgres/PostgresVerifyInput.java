package io.drctl.activities.postgres;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.activities.targets.StepTargets;
import java.util.List;
import java.util.Map;

/**
 * The {@code with} of a {@code postgres.verify} step, field for field the {@code params} of {@code
 * postgres.verify} in the action catalog, plus {@value StepTargets#MEMBER}. Absent fields take the
 * catalog's defaults; unknown fields are ignored. Immutable.
 *
 * @param target PostgreSQL target to act on. Host, port, database, user, password reference,
 *     container and data directory come from it.
 * @param database Database to verify. Defaults to the target's database.
 * @param store Store holding the backup to compare with. Required with backupId.
 * @param backupId Backup whose recorded row counts and fingerprints the data must match. Absent: no
 *     comparison.
 * @param tables Tables to compare (schema.table). Absent: every table in the backup metadata.
 * @param fingerprints Compare content fingerprints as well as row counts (reads every compared
 *     table).
 * @param amcheck Check B-tree indexes with amcheck.
 * @param thorough Use bt_index_parent_check with heapallindexed: slower, takes ShareLock on each
 *     table.
 * @param sampleQueries Read-only queries that must succeed; when expected is given, the first
 *     column of the first row must equal it.
 * @param failOnMismatch Fail with VerificationFailed when anything differs. false: report ok false.
 * @param targets the step's targets by name, as the plan holds them
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PostgresVerifyInput(
    @JsonProperty("target") String target,
    @JsonProperty("database") String database,
    @JsonProperty("store") String store,
    @JsonProperty("backupId") String backupId,
    @JsonProperty("tables") List<String> tables,
    @JsonProperty("fingerprints") Boolean fingerprints,
    @JsonProperty("amcheck") Boolean amcheck,
    @JsonProperty("thorough") Boolean thorough,
    @JsonProperty("sampleQueries") List<SampleQuery> sampleQueries,
    @JsonProperty("failOnMismatch") Boolean failOnMismatch,
    @JsonProperty(StepTargets.MEMBER) Map<String, JsonNode> targets) {
  public static final boolean DEFAULT_FINGERPRINTS = true;
  public static final boolean DEFAULT_AMCHECK = true;
  public static final boolean DEFAULT_THOROUGH = false;
  public static final boolean DEFAULT_FAIL_ON_MISMATCH = true;

  public PostgresVerifyInput {
    tables = tables == null ? null : PostgresInputs.list(tables);
    fingerprints = fingerprints == null ? DEFAULT_FINGERPRINTS : fingerprints;
    amcheck = amcheck == null ? DEFAULT_AMCHECK : amcheck;
    thorough = thorough == null ? DEFAULT_THOROUGH : thorough;
    sampleQueries = PostgresInputs.list(sampleQueries);
    failOnMismatch = failOnMismatch == null ? DEFAULT_FAIL_ON_MISMATCH : failOnMismatch;
    targets = PostgresInputs.targets(targets);
  }

  /** Parameter values and target names only (query parameters are counted, not shown). */
  @Override
  public String toString() {
    return "PostgresVerifyInput["
        + "target="
        + target
        + ", "
        + "database="
        + database
        + ", "
        + "store="
        + store
        + ", "
        + "backupId="
        + backupId
        + ", "
        + "tables="
        + tables
        + ", "
        + "fingerprints="
        + fingerprints
        + ", "
        + "amcheck="
        + amcheck
        + ", "
        + "thorough="
        + thorough
        + ", "
        + "sampleQueries="
        + sampleQueries
        + ", "
        + "failOnMismatch="
        + failOnMismatch
        + ", "
        + StepTargets.MEMBER
        + "="
        + targets.keySet()
        + "]";
  }
}
