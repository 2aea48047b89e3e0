package io.drctl.activities.http;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The output of an {@code http.check} step, field for field the {@code output} schema of {@code
 * http.check} in the action catalog. It is also the detail of a CheckFailed failure.
 *
 * @param ok every check held
 * @param status HTTP status, 0 when no response came
 * @param latencyMillis time to the full response (to the failure when none came)
 * @param value the value at jsonPath as JSON text (secrets the request sent masked); empty without
 *     jsonPath or when nothing is there
 * @param bodyBytes size of the whole body
 * @param problem what did not hold, {@code "; "}-separated; empty when ok
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record HttpCheckResult(
    @JsonProperty("ok") boolean ok,
    @JsonProperty("status") int status,
    @JsonProperty("latencyMillis") long latencyMillis,
    @JsonProperty("value") String value,
    @JsonProperty("bodyBytes") long bodyBytes,
    @JsonProperty("problem") String problem) {}
