package io.drctl.activities.backup;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The output of a {@code backup.recordRestoreTest} step, field for field the catalog's {@code
 * output}. Immutable.
 *
 * @param backupId the backup updated
 * @param restorability the recorded result, {@code VERIFIED} or {@code FAILED}
 * @param recordedAt when it was recorded, RFC 3339
 */
public record BackupRecordRestoreTestResult(
    @JsonProperty("backupId") String backupId,
    @JsonProperty("restorability") String restorability,
    @JsonProperty("recordedAt") String recordedAt) {}
