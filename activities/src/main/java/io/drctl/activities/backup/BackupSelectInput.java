package io.drctl.activities.backup;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.activities.targets.StepTargets;
import java.util.Map;

/**
 * The {@code with} of a {@code backup.select} step, field for field the catalog's {@code params},
 * plus {@value StepTargets#MEMBER}. Immutable.
 *
 * @param store backupStore target holding the backups
 * @param selector {@code latest}, {@code daily}, {@code weekly}, {@code monthly}, {@code YYYYMMDD},
 *     {@code s3} or an exact backup id; default {@code latest}
 * @param service {@code postgresql} or {@code redis}
 * @param format {@code dump}, {@code basebackup}, {@code rdb} or {@code aof}; {@code null}: any
 * @param before only backups taken before this RFC 3339 time; {@code null}: no limit
 * @param requireVerified only backups whose verification passed
 * @param targets the step's targets by name, as the plan holds them
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BackupSelectInput(
    @JsonProperty("store") String store,
    @JsonProperty("selector") String selector,
    @JsonProperty("service") String service,
    @JsonProperty("format") String format,
    @JsonProperty("before") String before,
    @JsonProperty("requireVerified") Boolean requireVerified,
    @JsonProperty(StepTargets.MEMBER) Map<String, JsonNode> targets) {

  public static final String DEFAULT_SELECTOR = "latest";

  public BackupSelectInput {
    selector = selector == null ? DEFAULT_SELECTOR : selector;
    requireVerified = requireVerified != null && requireVerified;
    targets = BackupInputs.targets(targets);
  }

  /** The latest backup of {@code service}. */
  public static BackupSelectInput of(String store, String service, Map<String, JsonNode> targets) {
    return new BackupSelectInput(store, null, service, null, null, null, targets);
  }

  public BackupSelectInput withSelector(String value) {
    return new BackupSelectInput(store, value, service, format, before, requireVerified, targets);
  }

  public BackupSelectInput withFormat(String value) {
    return new BackupSelectInput(store, selector, service, value, before, requireVerified, targets);
  }

  @Override
  public String toString() {
    return "BackupSelectInput[store="
        + store
        + ", selector="
        + selector
        + ", service="
        + service
        + ", format="
        + format
        + ", before="
        + before
        + ", requireVerified="
        + requireVerified
        + ", "
        + StepTargets.MEMBER
        + "="
        + targets.keySet()
        + "]";
  }
}
