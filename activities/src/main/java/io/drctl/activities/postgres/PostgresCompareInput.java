package io.drctl.activities.postgres;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.activities.targets.StepTargets;
import java.util.List;
import java.util.Map;

/**
 * The {@code with} of a {@code postgres.compare} step, field for field the {@code params} of {@code
 * postgres.compare} in the action catalog, plus {@value StepTargets#MEMBER}. Absent fields take the
 * catalog's defaults; unknown fields are ignored. Immutable.
 *
 * @param source Server with the reference data, e.g. staging after PITR.
 * @param target Server to compare with it, e.g. production.
 * @param tables Tables to compare, as an array or a comma separated string of schema.table (public.
 *     may be omitted).
 * @param sourceDatabase Database on source. Defaults to source's database.
 * @param targetDatabase Database on target. Defaults to target's database.
 * @param failOnDifference Fail with TablesDiffer when any table differs (use after a copy to prove
 *     it). false: report.
 * @param targets the step's targets by name, as the plan holds them
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PostgresCompareInput(
    @JsonProperty("source") String source,
    @JsonProperty("target") String target,
    @JsonProperty("tables") @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
        List<String> tables,
    @JsonProperty("sourceDatabase") String sourceDatabase,
    @JsonProperty("targetDatabase") String targetDatabase,
    @JsonProperty("failOnDifference") Boolean failOnDifference,
    @JsonProperty(StepTargets.MEMBER) Map<String, JsonNode> targets) {
  public static final boolean DEFAULT_FAIL_ON_DIFFERENCE = false;

  public PostgresCompareInput {
    tables = tables == null ? null : PostgresInputs.list(tables);
    failOnDifference = failOnDifference == null ? DEFAULT_FAIL_ON_DIFFERENCE : failOnDifference;
    targets = PostgresInputs.targets(targets);
  }

  /** Parameter values and target names only (query parameters are counted, not shown). */
  @Override
  public String toString() {
    return "PostgresCompareInput["
        + "source="
        + source
        + ", "
        + "target="
        + target
        + ", "
        + "tables="
        + tables
        + ", "
        + "sourceDatabase="
        + sourceDatabase
        + ", "
        + "targetDatabase="
        + targetDatabase
        + ", "
        + "failOnDifference="
        + failOnDifference
        + ", "
        + StepTargets.MEMBER
        + "="
        + targets.keySet()
        + "]";
  }
}
