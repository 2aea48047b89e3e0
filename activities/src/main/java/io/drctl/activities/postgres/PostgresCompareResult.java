package io.drctl.activities.postgres;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * What a {@code postgres.compare} step returns: field for field the {@code output} of {@code
 * postgres.compare} in the action catalog.
 *
 * @param identical Every table has the same row count and fingerprint on both.
 * @param sourceRows Rows in the tables on source.
 * @param targetRows Rows in the tables on target.
 * @param rowDifference sourceRows minus targetRows.
 * @param differingTables Tables whose count or fingerprint differs.
 * @param tables Per table: name, sourceRows, targetRows, identical.
 * @param summary One line per table: name source/target rows, for approval prompts.
 */
public record PostgresCompareResult(
    @JsonProperty("identical") boolean identical,
    @JsonProperty("sourceRows") long sourceRows,
    @JsonProperty("targetRows") long targetRows,
    @JsonProperty("rowDifference") long rowDifference,
    @JsonProperty("differingTables") int differingTables,
    @JsonProperty("tables") List<TableComparison> tables,
    @JsonProperty("summary") String summary) {
  public PostgresCompareResult {
    tables = List.copyOf(tables);
  }
}
