package io.drctl.activities.postgres;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What a {@code postgres.selectiveRestore} step returns: field for field the {@code output} of
 * {@code postgres.selectiveRestore} in the action catalog.
 *
 * @param committed Whether the transaction committed (false for dryRun).
 * @param tables Tables copied.
 * @param rowsBefore Rows in the target tables before.
 * @param rowsDeleted Target rows deleted or overwritten.
 * @param rowsInserted Rows written from source.
 * @param rowsAfter Rows in the target tables after.
 * @param durationSeconds How long the copy took.
 */
public record PostgresSelectiveRestoreResult(
    @JsonProperty("committed") boolean committed,
    @JsonProperty("tables") int tables,
    @JsonProperty("rowsBefore") long rowsBefore,
    @JsonProperty("rowsDeleted") long rowsDeleted,
    @JsonProperty("rowsInserted") long rowsInserted,
    @JsonProperty("rowsAfter") long rowsAfter,
    @JsonProperty("durationSeconds") double durationSeconds) {}
