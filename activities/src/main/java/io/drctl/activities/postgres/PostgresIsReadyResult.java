package io.drctl.activities.postgres;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What a {@code postgres.isReady} step returns: field for field the {@code output} of {@code
 * postgres.isReady} in the action catalog.
 *
 * @param ready The server accepted a connection and answered SELECT 1.
 * @param inRecovery pg_is_in_recovery(); false when not ready.
 * @param serverVersion server_version, empty when not ready.
 * @param latencyMillis Connect plus query time.
 */
public record PostgresIsReadyResult(
    @JsonProperty("ready") boolean ready,
    @JsonProperty("inRecovery") boolean inRecovery,
    @JsonProperty("serverVersion") String serverVersion,
    @JsonProperty("latencyMillis") long latencyMillis) {}
