package io.drctl.workflow;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.alerts.Alert;
import io.drctl.plan.Plan;

/**
 * How the CLI and receivers start an incident: the plan to pin, the inputs, and who asked.
 *
 * <p>The workflow input is either this, wrapped as {@code {"drctl": {...}}}, or — from the Temporal
 * UI's start form — the bare inputs object; then the worker's own catalog supplies the plan, which
 * is recorded in history and pinned the same way.
 *
 * @param plan the plan to run; null to take it from the worker's catalog
 * @param inputs the incident's inputs as given (defaults are applied by the workflow)
 * @param startedBy identity of the person or system that started it
 * @param alert the alert that started it (an alert receiver's start), or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StartRequest(
    Plan plan, JsonNode inputs, String startedBy, String reason, Alert alert) {
  /** A start by a person or a parent incident: no alert. */
  public StartRequest(Plan plan, JsonNode inputs, String startedBy, String reason) {
    this(plan, inputs, startedBy, reason, null);
  }

  /** The member name that marks a wrapped start request. */
  public static final String ENVELOPE = "drctl";
}
