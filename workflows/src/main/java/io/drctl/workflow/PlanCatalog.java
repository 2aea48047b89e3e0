package io.drctl.workflow;

import io.drctl.compiler.CompiledRunbook;
import io.drctl.plan.Plan;
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
    return runbook.plan(type).orElseThrow(() -> ApplicationFailure.newNonRetryableFailure(
        "the worker's runbook " + runbook.file() + " (version " + runbook.version() + ") has no incident '" + type
            + "'; incidents: " + String.join(", ", runbook.plans().keySet()),
        "UnknownIncident"));
  }
}
