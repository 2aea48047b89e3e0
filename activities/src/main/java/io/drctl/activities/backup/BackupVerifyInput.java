package io.drctl.activities.backup;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.activities.targets.StepTargets;
import java.util.Map;

/**
 * The {@code with} of a {@code backup.verify} step, field for field the catalog's {@code params},
 * plus {@value StepTargets#MEMBER}. Immutable.
 *
 * @param store backupStore target holding the backup
 * @param from a selector or an exact backup id
 * @param service the service, needed when {@code from} is a selector rather than an id
 * @param record record the result in the backup's metadata (default true)
 * @param targets the step's targets by name, as the plan holds them
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BackupVerifyInput(
    @JsonProperty("store") String store,
    @JsonProperty("from") String from,
    @JsonProperty("service") String service,
    @JsonProperty("record") Boolean record,
    @JsonProperty(StepTargets.MEMBER) Map<String, JsonNode> targets) {

  public BackupVerifyInput {
    record = record == null || record;
    targets = BackupInputs.targets(targets);
  }

  /** Verifies {@code from} (an id) and records the result. */
  public static BackupVerifyInput of(String store, String from, Map<String, JsonNode> targets) {
    return new BackupVerifyInput(store, from, null, null, targets);
  }

  @Override
  public String toString() {
    return "BackupVerifyInput[store="
        + store
        + ", from="
        + from
        + ", service="
        + service
        + ", record="
        + record
        + ", "
        + StepTargets.MEMBER
        + "="
        + targets.keySet()
        + "]";
  }
}
