package io.drctl.activities.backup;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.activities.targets.StepTargets;
import java.util.Map;

/**
 * The {@code with} of a {@code backup.list} step, field for field the catalog's {@code params},
 * plus {@value StepTargets#MEMBER}. Absent fields take the catalog's defaults. Immutable.
 *
 * @param store backupStore target holding the backups
 * @param service {@code postgresql} or {@code redis}; {@code null}: any
 * @param format {@code dump}, {@code basebackup}, {@code rdb} or {@code aof}; {@code null}: any
 * @param schedule {@code daily}, {@code weekly}, {@code monthly}, {@code manual} or {@code safety};
 *     {@code null}: any
 * @param since only backups taken at or after this RFC 3339 time; {@code null}: all
 * @param limit most records returned, 1 to 1000
 * @param targets the step's targets by name, as the plan holds them
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BackupListInput(
    @JsonProperty("store") String store,
    @JsonProperty("service") String service,
    @JsonProperty("format") String format,
    @JsonProperty("schedule") String schedule,
    @JsonProperty("since") String since,
    @JsonProperty("limit") Integer limit,
    @JsonProperty(StepTargets.MEMBER) Map<String, JsonNode> targets) {

  public static final int DEFAULT_LIMIT = 50;
  public static final int LIMIT_MAXIMUM = 1000;

  public BackupListInput {
    limit = limit == null ? DEFAULT_LIMIT : limit;
    targets = BackupInputs.targets(targets);
  }

  /** Every backup of {@code store}, up to the default limit. */
  public static BackupListInput of(String store, Map<String, JsonNode> targets) {
    return new BackupListInput(store, null, null, null, null, null, targets);
  }

  @Override
  public String toString() {
    return "BackupListInput[store="
        + store
        + ", service="
        + service
        + ", format="
        + format
        + ", schedule="
        + schedule
        + ", since="
        + since
        + ", limit="
        + limit
        + ", "
        + StepTargets.MEMBER
        + "="
        + targets.keySet()
        + "]";
  }
}
