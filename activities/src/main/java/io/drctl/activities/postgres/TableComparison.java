package io.drctl.activities.postgres;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One table of {@code postgres.compare}.
 *
 * @param name {@code schema.table}
 * @param sourceRows rows on the source
 * @param targetRows rows on the target
 * @param identical same row count and same fingerprint on both
 */
public record TableComparison(
    @JsonProperty("name") String name,
    @JsonProperty("sourceRows") long sourceRows,
    @JsonProperty("targetRows") long targetRows,
    @JsonProperty("identical") boolean identical) {}
