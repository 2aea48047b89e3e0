package io.drctl.activities.notify;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The output of a {@code notify.escalate} step, field for field the {@code output} schema of {@code
 * notify.escalate} in the action catalog. It is also the detail of an Escalated failure.
 *
 * @param paged the paging service accepted the page (2xx); always true in a returned result
 * @param status HTTP status of the paging service
 * @param dedupKey the key sent
 * @param sentAt when the request was sent, ISO-8601 in UTC
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record NotifyEscalateResult(
    @JsonProperty("paged") boolean paged,
    @JsonProperty("status") int status,
    @JsonProperty("dedupKey") String dedupKey,
    @JsonProperty("sentAt") String sentAt) {}
