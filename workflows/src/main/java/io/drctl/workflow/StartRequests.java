package io.drctl.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.drctl.plan.PlanJson;
import io.temporal.failure.ApplicationFailure;

/**
 * Reads the workflow input: a wrapped {@link StartRequest}, or bare inputs from the Temporal UI.
 */
final class StartRequests {
  private StartRequests() {}

  static StartRequest parse(JsonNode input) {
    if (input == null || input.isNull()) {
      return new StartRequest(null, JsonNodeFactory.instance.objectNode(), null, null);
    }
    if (!input.isObject()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "the input must be a JSON object of the incident's inputs, e.g. {\"until\": \"2025-12-27T14:30:00+00:00\"}",
          "InvalidInputs");
    }
    JsonNode envelope = input.get(StartRequest.ENVELOPE);
    if (envelope != null && envelope.isObject() && input.size() == 1) {
      try {
        StartRequest request = PlanJson.mapper().treeToValue(envelope, StartRequest.class);
        JsonNode inputs =
            request.inputs() == null ? JsonNodeFactory.instance.objectNode() : request.inputs();
        return new StartRequest(
            request.plan(), inputs, request.startedBy(), request.reason(), request.alert());
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw ApplicationFailure.newNonRetryableFailure(
            "unreadable start request: " + e.getOriginalMessage(), "InvalidInputs");
      }
    }
    return new StartRequest(null, input, null, null);
  }
}
