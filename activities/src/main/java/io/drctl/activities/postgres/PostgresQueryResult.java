package io.drctl.activities.postgres;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * What a {@code postgres.query} step returns: field for field the {@code output} of {@code
 * postgres.query} in the action catalog.
 *
 * @param rowCount Rows returned (up to maxRows).
 * @param columns Column names.
 * @param firstRow First row as column name to value; empty when there are no rows.
 * @param firstValue First column of the first row as text; empty when there are no rows.
 * @param durationMillis Query time.
 */
public record PostgresQueryResult(
    @JsonProperty("rowCount") int rowCount,
    @JsonProperty("columns") List<String> columns,
    @JsonProperty("firstRow") Map<String, Object> firstRow,
    @JsonProperty("firstValue") String firstValue,
    @JsonProperty("durationMillis") long durationMillis) {
  public PostgresQueryResult {
    columns = List.copyOf(columns);
    firstRow = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(firstRow));
  }
}
