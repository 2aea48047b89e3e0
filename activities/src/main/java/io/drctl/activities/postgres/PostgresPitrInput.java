package io.drctl.activities.postgres;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.activities.targets.StepTargets;
import java.util.Map;

/**
 * The {@code with} of a {@code postgres.pitr} step, field for field the {@code params} of {@code
 * postgres.pitr} in the action catalog, plus {@value StepTargets#MEMBER}. Absent fields take the
 * catalog's defaults; unknown fields are ignored. Immutable.
 *
 * @param target PostgreSQL target whose cluster is replaced by the recovered one: the live primary,
 *     or staging to recover beside production. Needs container and dataDirectory.
 * @param store Backup store holding the base backup and the WAL archive.
 * @param until Recovery target time, RFC 3339 with offset (e.g. 2025-12-27T14:30:00+00:00), or
 *     latest to replay all archived WAL.
 * @param inclusive recovery_target_inclusive: true stops after a commit at exactly `until`, false
 *     just before it.
 * @param targetTimeline recovery_target_timeline: current (the base backup's timeline), latest, or
 *     a timeline number. current is what pgBackRest's tests pin.
 * @param from Base backup to start from (a postgres.basebackup id or selector). Absent: the newest
 *     base backup taken before `until`.
 * @param walSource Server whose WAL feeds the archive: pg_switch_wal() is called there and its
 *     archiving awaited, when it answers. Defaults to target; set it to the production primary when
 *     target is staging.
 * @param archiveWaitTimeout How long to wait for the segment holding `until` to be archived before
 *     failing with WalMissing.
 * @param keepPrevious Move the replaced data directory aside (DATA.pre-pitr-TIMESTAMP) instead of
 *     deleting it.
 * @param targets the step's targets by name, as the plan holds them
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PostgresPitrInput(
    @JsonProperty("target") String target,
    @JsonProperty("store") String store,
    @JsonProperty("until") String until,
    @JsonProperty("inclusive") Boolean inclusive,
    @JsonProperty("targetTimeline") String targetTimeline,
    @JsonProperty("from") String from,
    @JsonProperty("walSource") String walSource,
    @JsonProperty("archiveWaitTimeout") String archiveWaitTimeout,
    @JsonProperty("keepPrevious") Boolean keepPrevious,
    @JsonProperty(StepTargets.MEMBER) Map<String, JsonNode> targets) {
  public static final String DEFAULT_UNTIL = "latest";
  public static final boolean DEFAULT_INCLUSIVE = true;
  public static final String DEFAULT_TARGET_TIMELINE = "current";
  public static final String DEFAULT_ARCHIVE_WAIT_TIMEOUT = "5m";
  public static final boolean DEFAULT_KEEP_PREVIOUS = true;

  public PostgresPitrInput {
    until = until == null ? DEFAULT_UNTIL : until;
    inclusive = inclusive == null ? DEFAULT_INCLUSIVE : inclusive;
    targetTimeline = targetTimeline == null ? DEFAULT_TARGET_TIMELINE : targetTimeline;
    archiveWaitTimeout =
        archiveWaitTimeout == null ? DEFAULT_ARCHIVE_WAIT_TIMEOUT : archiveWaitTimeout;
    keepPrevious = keepPrevious == null ? DEFAULT_KEEP_PREVIOUS : keepPrevious;
    targets = PostgresInputs.targets(targets);
  }

  /** Parameter values and target names only (query parameters are counted, not shown). */
  @Override
  public String toString() {
    return "PostgresPitrInput["
        + "target="
        + target
        + ", "
        + "store="
        + store
        + ", "
        + "until="
        + until
        + ", "
        + "inclusive="
        + inclusive
        + ", "
        + "targetTimeline="
        + targetTimeline
        + ", "
        + "from="
        + from
        + ", "
        + "walSource="
        + walSource
        + ", "
        + "archiveWaitTimeout="
        + archiveWaitTimeout
        + ", "
        + "keepPrevious="
        + keepPrevious
        + ", "
        + StepTargets.MEMBER
        + "="
        + targets.keySet()
        + "]";
  }
}
