package io.drctl.steps;

import io.drctl.catalog.ActionDefinition;
import io.drctl.catalog.ActionKind;
import io.drctl.runbook.DefaultsSpec;
import io.drctl.runbook.StepSpec;

/** Branches of steps that run side by side; the step succeeds when every branch has. */
final class ParallelStep implements StepKind {
  @Override
  public ActionKind key() {
    return ActionKind.PARALLEL;
  }

  @Override
  public void check(StepCheck check) {
    if (check.spec().branches() == null) {
      check.error(
          "missing-branches",
          check.pointer(),
          "a parallel step needs branches",
          "add \"branches\": [{\"name\": ..., \"steps\": [...]}, ...]");
    }
    if (check.spec().timeout() != null) {
      check.errorAtKey(
          "not-applicable",
          check.pointer() + "/timeout",
          "a parallel step has no timeout of its own",
          "set timeouts on the steps of its branches");
    }
  }

  @Override
  public String timeout(StepSpec spec, ActionDefinition action, DefaultsSpec defaults) {
    return spec.timeout();
  }

  @Override
  public boolean hasBranches() {
    return true;
  }

  @Override
  public void begin(StepStart start) {
    start.runBranches();
  }

  /** Its branches' steps are the ones an operator retries. */
  @Override
  public boolean operatorMayRetry() {
    return false;
  }
}
