package io.drctl.worker.temporal;

import io.drctl.compiler.CompiledRunbook;
import io.drctl.plan.Plan;
import io.drctl.workflow.PlanCatalogActivities;
import io.temporal.failure.ApplicationFailure;

/** Serves plans from the runbook the worker compiled at start. Immutable and thread-safe. */
public final class PlanCatalog implements PlanCatalogActivities {
  private final CompiledRunbook runbook;

  public PlanCatalog(CompiledRunbook runbook) {
    this.runbook = runbook;
  }

  public CompiledRunbook runbook() {
    return runbook;
  }

  @Override
  public Plan plan(String type) {
    return runbook
        .plan(type)
        .orElseThrow(
            () ->
                ApplicationFailure.newNonRetryableFailure(
                    runbook.noSuchIncident(type), PlanCatalogActivities.UNKNOWN_INCIDENT));
  }
}
