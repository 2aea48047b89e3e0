package io.drctl.workflow;

import io.drctl.plan.Plan;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * The worker's compiled runbook, asked once by an incident started without a plan (from the
 * Temporal UI). Called as a local activity, so the answer is recorded in history and the plan is
 * pinned for the life of the incident.
 */
@ActivityInterface(namePrefix = "drctl.")
public interface PlanCatalogActivities {
  /** The failure type of a plan asked for an incident the worker's runbook does not have. */
  String UNKNOWN_INCIDENT = "UnknownIncident";

  /**
   * The plan of incident {@code type}.
   *
   * @throws io.temporal.failure.ApplicationFailure type UnknownIncident (non-retryable) when the
   *     worker's runbook has no such incident
   */
  @ActivityMethod(name = "drctl.plan")
  Plan plan(String type);
}
