package io.drctl.activities.backup;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.activities.targets.StepTargets;
import java.util.Map;

/**
 * The {@code with} of a {@code backup.recordRestoreTest} step, field for field the catalog's {@code
 * params}, plus {@value StepTargets#MEMBER}. Immutable.
 *
 * @param store backupStore target holding the backup
 * @param backupId the backup that was test-restored
 * @param restorability {@code VERIFIED} or {@code FAILED}
 * @param evidence where the evidence is, e.g. the incident id; may be {@code null}
 * @param notes free text; may be {@code null}
 * @param targets the step's targets by name, as the plan holds them
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BackupRecordRestoreTestInput(
    @JsonProperty("store") String store,
    @JsonProperty("backupId") String backupId,
    @JsonProperty("restorability") String restorability,
    @JsonProperty("evidence") String evidence,
    @JsonProperty("notes") String notes,
    @JsonProperty(StepTargets.MEMBER) Map<String, JsonNode> targets) {

  public static final String VERIFIED = "VERIFIED";
  public static final String FAILED = "FAILED";

  public BackupRecordRestoreTestInput {
    targets = BackupInputs.targets(targets);
  }

  @Override
  public String toString() {
    return "BackupRecordRestoreTestInput[store="
        + store
        + ", backupId="
        + backupId
        + ", restorability="
        + restorability
        + ", evidence="
        + evidence
        + ", notes="
        + (notes == null ? null : notes.length() + " chars")
        + ", "
        + StepTargets.MEMBER
        + "="
        + targets.keySet()
        + "]";
  }
}
