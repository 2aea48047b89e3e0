package io.drctl.worker.alerts;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.drctl.alerts.Alert;

/**
 * What became of one alert.
 *
 * @param incident the workflow id of the incident it concerns, or null when no route took it
 * @param runId the run it was handed to, when delivered
 * @param detail why it was not delivered, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Delivery(
    String alert,
    String status,
    String fingerprint,
    Outcome outcome,
    String incident,
    String runId,
    String detail) {

  /** The fates of an alert; only {@link #delivered} reached an incident. */
  public enum Outcome {
    /**
     * Signalled to the incident of its problem, which it started if none ran: in Temporal's history
     * now.
     */
    delivered,
    /** Firing, but the incident ended less than the route's cooldown ago: no new incident. */
    cooldown,
    /** Resolved, and no incident about it runs: nothing to record it on. */
    not_running,
    /** No route matched its labels. */
    unrouted,
    /**
     * A route matched, but its target or inputs could not be worked out, or the incident refuses
     * the inputs.
     */
    unroutable
  }

  static Delivery of(Alert alert, Outcome outcome, String incident, String runId, String detail) {
    return new Delivery(
        alert.name(), alert.status(), alert.fingerprint(), outcome, incident, runId, detail);
  }
}
