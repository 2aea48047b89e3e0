package io.drctl.activities.backup;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.activities.targets.StepTargets;
import java.util.List;
import java.util.Map;

/**
 * The {@code with} of a {@code backup.replicate} step, field for field the catalog's {@code
 * params}, plus {@value StepTargets#MEMBER}. Immutable.
 *
 * @param source backupStore target to copy from
 * @param destination backupStore target to copy to
 * @param backupIds backups to copy; {@code null}: every backup missing from the destination
 * @param service only this service; {@code null}: all
 * @param includeWal copy the archived WAL too (default true)
 * @param targets the step's targets by name, as the plan holds them
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BackupReplicateInput(
    @JsonProperty("source") String source,
    @JsonProperty("destination") String destination,
    @JsonProperty("backupIds") List<String> backupIds,
    @JsonProperty("service") String service,
    @JsonProperty("includeWal") Boolean includeWal,
    @JsonProperty(StepTargets.MEMBER) Map<String, JsonNode> targets) {

  public BackupReplicateInput {
    backupIds = backupIds == null ? null : List.copyOf(backupIds);
    includeWal = includeWal == null || includeWal;
    targets = BackupInputs.targets(targets);
  }

  /** Everything missing from {@code destination}, WAL included. */
  public static BackupReplicateInput of(
      String source, String destination, Map<String, JsonNode> targets) {
    return new BackupReplicateInput(source, destination, null, null, null, targets);
  }

  @Override
  public String toString() {
    return "BackupReplicateInput[source="
        + source
        + ", destination="
        + destination
        + ", backupIds="
        + backupIds
        + ", service="
        + service
        + ", includeWal="
        + includeWal
        + ", "
        + StepTargets.MEMBER
        + "="
        + targets.keySet()
        + "]";
  }
}
