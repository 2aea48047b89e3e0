package io.drctl.activities.postgres;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.activities.targets.StepTargets;
import java.util.Map;

/**
 * The {@code with} of a {@code postgres.restore} step, field for field the {@code params} of {@code
 * postgres.restore} in the action catalog, plus {@value StepTargets#MEMBER}. Absent fields take the
 * catalog's defaults; unknown fields are ignored. Immutable.
 *
 * @param target PostgreSQL target to act on. Host, port, database, user, password reference,
 *     container and data directory come from it.
 * @param store Backup store target (local directory or S3 bucket) that holds the backups and their
 *     metadata.
 * @param from Which backup: latest, daily, weekly or monthly (the newest of that schedule),
 *     YYYYMMDD (the newest taken that UTC day), s3 (the newest, and the store must be an S3 store),
 *     or an exact backup id such as the backupId output of backup.select.
 * @param database Database to restore into. Defaults to the target's database.
 * @param dropExisting Drop and recreate the database first. false: refuse with DatabaseNotEmpty
 *     when it has user tables.
 * @param jobs Parallel pg_restore jobs.
 * @param ensureRunning Start the target's container if it is stopped and wait until the server
 *     accepts connections.
 * @param readyTimeout How long ensureRunning waits for the server to accept connections.
 * @param targets the step's targets by name, as the plan holds them
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PostgresRestoreInput(
    @JsonProperty("target") String target,
    @JsonProperty("store") String store,
    @JsonProperty("from") String from,
    @JsonProperty("database") String database,
    @JsonProperty("dropExisting") Boolean dropExisting,
    @JsonProperty("jobs") Integer jobs,
    @JsonProperty("ensureRunning") Boolean ensureRunning,
    @JsonProperty("readyTimeout") String readyTimeout,
    @JsonProperty(StepTargets.MEMBER) Map<String, JsonNode> targets) {
  public static final String DEFAULT_FROM = "latest";
  public static final boolean DEFAULT_DROP_EXISTING = true;
  public static final int DEFAULT_JOBS = 2;
  public static final boolean DEFAULT_ENSURE_RUNNING = true;
  public static final String DEFAULT_READY_TIMEOUT = "2m";

  public PostgresRestoreInput {
    from = from == null ? DEFAULT_FROM : from;
    dropExisting = dropExisting == null ? DEFAULT_DROP_EXISTING : dropExisting;
    jobs = jobs == null ? DEFAULT_JOBS : jobs;
    ensureRunning = ensureRunning == null ? DEFAULT_ENSURE_RUNNING : ensureRunning;
    readyTimeout = readyTimeout == null ? DEFAULT_READY_TIMEOUT : readyTimeout;
    targets = PostgresInputs.targets(targets);
  }

  /** Parameter values and target names only (query parameters are counted, not shown). */
  @Override
  public String toString() {
    return "PostgresRestoreInput["
        + "target="
        + target
        + ", "
        + "store="
        + store
        + ", "
        + "from="
        + from
        + ", "
        + "database="
        + database
        + ", "
        + "dropExisting="
        + dropExisting
        + ", "
        + "jobs="
        + jobs
        + ", "
        + "ensureRunning="
        + ensureRunning
        + ", "
        + "readyTimeout="
        + readyTimeout
        + ", "
        + StepTargets.MEMBER
        + "="
        + targets.keySet()
        + "]";
  }
}
