package io.drctl.workflow;

import io.drctl.catalog.ActionKind;
import io.drctl.interpreter.Interpreter.Decision;
import io.drctl.plan.Durations;
import io.temporal.workflow.Workflow;

/**
 * An approval step: only its deadline runs in the workflow; the approvals themselves arrive as
 * operator commands.
 */
final class ApprovalLauncher implements StepLauncher {
  @Override
  public ActionKind key() {
    return ActionKind.APPROVAL;
  }

  @Override
  public void launch(Decision.Start start, LaunchContext context) {
    String id = start.step().id();
    Workflow.newTimer(
            Durations.parse(start.step().timeout()),
            StepLaunchers.timer("Approval deadline: " + start.step().title()))
        .thenApply(
            fired -> {
              context.event(
                  () ->
                      context
                          .interpreter()
                          .approvalTimedOut(
                              context.state(), id, start.attempt(), Workflow.currentTimeMillis()));
              return null;
            });
  }
}
