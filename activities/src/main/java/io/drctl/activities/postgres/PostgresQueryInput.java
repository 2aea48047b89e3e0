package io.drctl.activities.postgres;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.activities.targets.StepTargets;
import java.util.List;
import java.util.Map;

/**
 * The {@code with} of a {@code postgres.query} step, field for field the {@code params} of {@code
 * postgres.query} in the action catalog, plus {@value StepTargets#MEMBER}. Absent fields take the
 * catalog's defaults; unknown fields are ignored. Immutable.
 *
 * @param target PostgreSQL target to act on. Host, port, database, user, password reference,
 *     container and data directory come from it.
 * @param sql The query. Use $1, $2... for parameters.
 * @param parameters Values bound to $1, $2...
 * @param database Database to query. Defaults to the target's database.
 * @param statementTimeout statement_timeout of the query.
 * @param maxRows Rows fetched at most (rowCount counts up to this).
 * @param targets the step's targets by name, as the plan holds them
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PostgresQueryInput(
    @JsonProperty("target") String target,
    @JsonProperty("sql") String sql,
    @JsonProperty("parameters") List<Object> parameters,
    @JsonProperty("database") String database,
    @JsonProperty("statementTimeout") String statementTimeout,
    @JsonProperty("maxRows") Integer maxRows,
    @JsonProperty(StepTargets.MEMBER) Map<String, JsonNode> targets) {
  public static final String DEFAULT_STATEMENT_TIMEOUT = "30s";
  public static final int DEFAULT_MAX_ROWS = 1000;

  public PostgresQueryInput {
    parameters = PostgresInputs.list(parameters);
    statementTimeout = statementTimeout == null ? DEFAULT_STATEMENT_TIMEOUT : statementTimeout;
    maxRows = maxRows == null ? DEFAULT_MAX_ROWS : maxRows;
    targets = PostgresInputs.targets(targets);
  }

  /** Parameter values and target names only (query parameters are counted, not shown). */
  @Override
  public String toString() {
    return "PostgresQueryInput["
        + "target="
        + target
        + ", "
        + "sql="
        + sql
        + ", "
        + "database="
        + database
        + ", "
        + "statementTimeout="
        + statementTimeout
        + ", "
        + "maxRows="
        + maxRows
        + ", parameters="
        + parameters.size()
        + ", "
        + StepTargets.MEMBER
        + "="
        + targets.keySet()
        + "]";
  }
}
