package io.drctl.activities.backup;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.activities.targets.StepTargets;
import java.util.Map;

/**
 * The {@code with} of a {@code backup.prune} step, field for field the catalog's {@code params},
 * plus {@value StepTargets#MEMBER}. Immutable.
 *
 * @param store backupStore target to prune
 * @param dryRun only report what would be deleted (default true)
 * @param service only this service; {@code null}: all
 * @param retention override of the store's retention for this run ({@code daily}, {@code weekly},
 *     {@code monthly}, {@code wal}, {@code maxAge}); {@code null}: the store's
 * @param targets the step's targets by name, as the plan holds them
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BackupPruneInput(
    @JsonProperty("store") String store,
    @JsonProperty("dryRun") Boolean dryRun,
    @JsonProperty("service") String service,
    @JsonProperty("retention") JsonNode retention,
    @JsonProperty(StepTargets.MEMBER) Map<String, JsonNode> targets) {

  public BackupPruneInput {
    dryRun = dryRun == null || dryRun;
    targets = BackupInputs.targets(targets);
  }

  /** A dry run with the store's retention. */
  public static BackupPruneInput of(String store, Map<String, JsonNode> targets) {
    return new BackupPruneInput(store, null, null, null, targets);
  }

  public BackupPruneInput applying() {
    return new BackupPruneInput(store, false, service, retention, targets);
  }

  public BackupPruneInput withRetention(JsonNode value) {
    return new BackupPruneInput(store, dryRun, service, value, targets);
  }

  @Override
  public String toString() {
    return "BackupPruneInput[store="
        + store
        + ", dryRun="
        + dryRun
        + ", service="
        + service
        + ", retention="
        + retention
        + ", "
        + StepTargets.MEMBER
        + "="
        + targets.keySet()
        + "]";
  }
}
