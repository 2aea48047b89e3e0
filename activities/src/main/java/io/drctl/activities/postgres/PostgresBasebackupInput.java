package io.drctl.activities.postgres;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.activities.targets.StepTargets;
import java.util.Map;

/**
 * The {@code with} of a {@code postgres.basebackup} step, field for field the {@code params} of
 * {@code postgres.basebackup} in the action catalog, plus {@value StepTargets#MEMBER}. Absent
 * fields take the catalog's defaults; unknown fields are ignored. Immutable.
 *
 * @param target PostgreSQL target to act on. Host, port, database, user, password reference,
 *     container and data directory come from it.
 * @param store Backup store target (local directory or S3 bucket) that holds the backups and their
 *     metadata.
 * @param schedule Retention class recorded in the backup's metadata: daily, weekly and monthly are
 *     kept by the store's retention counts; manual only by maxAge.
 * @param format tar: -Ft, compressed; plain: -Fp directory, stored as a tar.
 * @param compression Compression of the stored files.
 * @param checkpoint fast starts at once with an immediate checkpoint; spread waits for the next one
 *     but loads the server less.
 * @param verify Run pg_verifybackup against the backup manifest before publishing it.
 * @param maxRate Transfer rate limit passed to pg_basebackup --max-rate, e.g. 32M. Absent:
 *     unlimited.
 * @param label Backup label (pg_basebackup -l) and notes.
 * @param targets the step's targets by name, as the plan holds them
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PostgresBasebackupInput(
    @JsonProperty("target") String target,
    @JsonProperty("store") String store,
    @JsonProperty("schedule") String schedule,
    @JsonProperty("format") String format,
    @JsonProperty("compression") String compression,
    @JsonProperty("checkpoint") String checkpoint,
    @JsonProperty("verify") Boolean verify,
    @JsonProperty("maxRate") String maxRate,
    @JsonProperty("label") String label,
    @JsonProperty(StepTargets.MEMBER) Map<String, JsonNode> targets) {
  public static final String DEFAULT_SCHEDULE = "manual";
  public static final String DEFAULT_FORMAT = "tar";
  public static final String DEFAULT_COMPRESSION = "gzip";
  public static final String DEFAULT_CHECKPOINT = "fast";
  public static final boolean DEFAULT_VERIFY = true;

  public PostgresBasebackupInput {
    schedule = schedule == null ? DEFAULT_SCHEDULE : schedule;
    format = format == null ? DEFAULT_FORMAT : format;
    compression = compression == null ? DEFAULT_COMPRESSION : compression;
    checkpoint = checkpoint == null ? DEFAULT_CHECKPOINT : checkpoint;
    verify = verify == null ? DEFAULT_VERIFY : verify;
    targets = PostgresInputs.targets(targets);
  }

  /** Parameter values and target names only (query parameters are counted, not shown). */
  @Override
  public String toString() {
    return "PostgresBasebackupInput["
        + "target="
        + target
        + ", "
        + "store="
        + store
        + ", "
        + "schedule="
        + schedule
        + ", "
        + "format="
        + format
        + ", "
        + "compression="
        + compression
        + ", "
        + "checkpoint="
        + checkpoint
        + ", "
        + "verify="
        + verify
        + ", "
        + "maxRate="
        + maxRate
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
