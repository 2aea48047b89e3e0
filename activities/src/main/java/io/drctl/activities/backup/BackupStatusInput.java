package io.drctl.activities.backup;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.activities.targets.StepTargets;
import java.util.Map;

/**
 * The {@code with} of a {@code backup.status} step, field for field the catalog's {@code params},
 * plus {@value StepTargets#MEMBER}. Immutable.
 *
 * @param store backupStore target to summarise
 * @param service only this service; {@code null}: all
 * @param targets the step's targets by name, as the plan holds them
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BackupStatusInput(
    @JsonProperty("store") String store,
    @JsonProperty("service") String service,
    @JsonProperty(StepTargets.MEMBER) Map<String, JsonNode> targets) {

  public BackupStatusInput {
    targets = BackupInputs.targets(targets);
  }

  @Override
  public String toString() {
    return "BackupStatusInput[store="
        + store
        + ", service="
        + service
        + ", "
        + StepTargets.MEMBER
        + "="
        + targets.keySet()
        + "]";
  }
}
