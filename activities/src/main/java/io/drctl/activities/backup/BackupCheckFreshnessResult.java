package io.drctl.activities.backup;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The output of a {@code backup.checkFreshness} step, field for field the catalog's {@code output};
 * with no backup at all, {@code newestAt} and {@code ageSeconds} are left out. Immutable.
 *
 * @param ok the newest backup is within period plus grace
 * @param backupId the newest backup, empty when none
 * @param newestAt when it was taken
 * @param ageSeconds its age
 * @param limitSeconds period plus grace
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BackupCheckFreshnessResult(
    @JsonProperty("ok") boolean ok,
    @JsonProperty("backupId") String backupId,
    @JsonProperty("newestAt") String newestAt,
    @JsonProperty("ageSeconds") Long ageSeconds,
    @JsonProperty("limitSeconds") long limitSeconds) {}
