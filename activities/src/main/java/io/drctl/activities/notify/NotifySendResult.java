package io.drctl.activities.notify;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The output of a {@code notify.send} step, field for field the {@code output} schema of {@code
 * notify.send} in the action catalog.
 *
 * @param delivered the channel accepted the message (2xx); always true in a returned result
 * @param status HTTP status of the channel
 * @param dedupKey the key sent
 * @param sentAt when the request was sent, ISO-8601 in UTC
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record NotifySendResult(
    @JsonProperty("delivered") boolean delivered,
    @JsonProperty("status") int status,
    @JsonProperty("dedupKey") String dedupKey,
    @JsonProperty("sentAt") String sentAt) {}
