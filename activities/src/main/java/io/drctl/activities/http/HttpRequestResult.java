package io.drctl.activities.http;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The output of an {@code http.request} step, field for field the {@code output} schema of {@code
 * http.request} in the action catalog. It is also the detail of a failure with a response. Secret
 * values the request sent are masked as {@code ****} in {@code body} and {@code json}.
 *
 * @param status HTTP status
 * @param latencyMillis time to the full response
 * @param body the first {@code maxResponseBytes} bytes of the response body, decoded (a secret
 *     crossing the cut is masked whole)
 * @param json {@code body} parsed when it is a whole JSON object; an empty object otherwise
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record HttpRequestResult(
    @JsonProperty("status") int status,
    @JsonProperty("latencyMillis") long latencyMillis,
    @JsonProperty("body") String body,
    @JsonProperty("json") JsonNode json) {}
