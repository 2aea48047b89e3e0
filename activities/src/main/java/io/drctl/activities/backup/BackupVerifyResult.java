package io.drctl.activities.backup;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The output of a {@code backup.verify} step, field for field the catalog's {@code output}. A
 * failed verification is not an output but a {@code BackupCorrupt} failure, so a returned result
 * has {@code ok} true. Immutable.
 *
 * @param backupId the backup verified
 * @param ok checksum and readability checks passed
 * @param checksumOk the stored SHA-256 matched the metadata
 * @param readable the stored stream decompressed end to end to the recorded raw checksum
 * @param sizeBytes stored size checked
 */
public record BackupVerifyResult(
    @JsonProperty("backupId") String backupId,
    @JsonProperty("ok") boolean ok,
    @JsonProperty("checksumOk") boolean checksumOk,
    @JsonProperty("readable") boolean readable,
    @JsonProperty("sizeBytes") long sizeBytes) {}
