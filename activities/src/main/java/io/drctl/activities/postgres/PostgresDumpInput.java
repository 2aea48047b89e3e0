package io.drctl.activities.postgres;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.activities.targets.StepTargets;
import java.util.Map;

/**
 * The {@code with} of a {@code postgres.dump} step, field for field the {@code params} of {@code
 * postgres.dump} in the action catalog, plus {@value StepTargets#MEMBER}. Absent fields take the
 * catalog's defaults; unknown fields are ignored. Immutable.
 *
 * @param target PostgreSQL target to act on. Host, port, database, user, password reference,
 *     container and data directory come from it.
 * @param store Backup store target (local directory or S3 bucket) that holds the backups and their
 *     metadata.
 * @param database Database to dump. Defaults to the target's database.
 * @param schedule Retention class recorded in the backup's metadata: daily, weekly and monthly are
 *     kept by the store's retention counts; manual only by maxAge.
 * @param format custom: one pg_dump -Fc archive, streamed into the store. directory: pg_dump -Fd,
 *     needed for jobs &gt; 1; written to the worker's temporary directory and stored as one tar.
 * @param jobs Parallel dump jobs (pg_dump -j); more than 1 needs format directory.
 * @param compression Compression level 0-9 given to pg_dump.
 * @param schemaOnly Dump only the schema (pg_dump --schema-only), the seed's integrity check; such
 *     a dump cannot be restored as data.
 * @param fingerprints Record per-table content fingerprints (a sum of 64-bit row hashes, {@link
 *     TableStats}) in the metadata; costs one extra read of every table, in parallel with pg_dump.
 * @param label Free text stored as the backup's notes.
 * @param targets the step's targets by name, as the plan holds them
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PostgresDumpInput(
    @JsonProperty("target") String target,
    @JsonProperty("store") String store,
    @JsonProperty("database") String database,
    @JsonProperty("schedule") String schedule,
    @JsonProperty("format") String format,
    @JsonProperty("jobs") Integer jobs,
    @JsonProperty("compression") Integer compression,
    @JsonProperty("schemaOnly") Boolean schemaOnly,
    @JsonProperty("fingerprints") Boolean fingerprints,
    @JsonProperty("label") String label,
    @JsonProperty(StepTargets.MEMBER) Map<String, JsonNode> targets) {
  public static final String DEFAULT_SCHEDULE = "manual";
  public static final String DEFAULT_FORMAT = "custom";
  public static final int DEFAULT_JOBS = 1;
  public static final int DEFAULT_COMPRESSION = 6;
  public static final boolean DEFAULT_SCHEMA_ONLY = false;
  public static final boolean DEFAULT_FINGERPRINTS = true;

  public PostgresDumpInput {
    schedule = schedule == null ? DEFAULT_SCHEDULE : schedule;
    format = format == null ? DEFAULT_FORMAT : format;
    jobs = jobs == null ? DEFAULT_JOBS : jobs;
    compression = compression == null ? DEFAULT_COMPRESSION : compression;
    schemaOnly = schemaOnly == null ? DEFAULT_SCHEMA_ONLY : schemaOnly;
    fingerprints = fingerprints == null ? DEFAULT_FINGERPRINTS : fingerprints;
    targets = PostgresInputs.targets(targets);
  }

  /** Parameter values and target names only (query parameters are counted, not shown). */
  @Override
  public String toString() {
    return "PostgresDumpInput["
        + "target="
        + target
        + ", "
        + "store="
        + store
        + ", "
        + "database="
        + database
        + ", "
        + "schedule="
        + schedule
        + ", "
        + "format="
        + format
        + ", "
        + "jobs="
        + jobs
        + ", "
        + "compression="
        + compression
        + ", "
        + "schemaOnly="
        + schemaOnly
        + ", "
        + "fingerprints="
        + fingerprints
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
