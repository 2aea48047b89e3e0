package io.drctl.workflow;

import io.drctl.catalog.ActionKind;
import io.drctl.interpreter.Interpreter.Decision;

/**
 * How the workflow carries out one kind of step the interpreter starts: with activities, timers or
 * child workflows. Registered in {@link StepLaunchers} under the same key as the kind's rules in
 * {@link io.drctl.steps.StepKinds}. Called inside the step's own cancellation scope, in workflow
 * code: deterministic, no I/O.
 */
interface StepLauncher {
  ActionKind key();

  /** Starts the step; its result reaches the interpreter through {@link LaunchContext#settle}. */
  void launch(Decision.Start start, LaunchContext context);
}
