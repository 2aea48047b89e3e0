package io.drctl.activities.postgres;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * What a {@code postgres.verify} step returns: field for field the {@code output} of {@code
 * postgres.verify} in the action catalog.
 *
 * @param ok Every check passed.
 * @param tablesChecked Tables compared with the backup.
 * @param totalRows Rows in the compared tables.
 * @param rowCountMismatches Tables whose row count differs from the backup.
 * @param fingerprintMismatches Tables whose content differs from the backup.
 * @param indexesChecked Indexes checked with amcheck.
 * @param corruptIndexes Indexes amcheck reported corrupt.
 * @param queriesFailed Sample queries that failed or returned another value.
 * @param differences One object per finding: check, table or query, expected, actual.
 * @param summary One line per finding, for approval prompts and notifications.
 */
public record PostgresVerifyResult(
    @JsonProperty("ok") boolean ok,
    @JsonProperty("tablesChecked") int tablesChecked,
    @JsonProperty("totalRows") long totalRows,
    @JsonProperty("rowCountMismatches") int rowCountMismatches,
    @JsonProperty("fingerprintMismatches") int fingerprintMismatches,
    @JsonProperty("indexesChecked") int indexesChecked,
    @JsonProperty("corruptIndexes") int corruptIndexes,
    @JsonProperty("queriesFailed") int queriesFailed,
    @JsonProperty("differences") List<Difference> differences,
    @JsonProperty("summary") String summary) {
  public PostgresVerifyResult {
    differences = List.copyOf(differences);
  }
}
