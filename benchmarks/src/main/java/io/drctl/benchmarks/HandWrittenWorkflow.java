package io.drctl.benchmarks;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** The baseline: what a developer would write by hand for a runbook of sequential no-op steps. */
@WorkflowInterface
public interface HandWrittenWorkflow {
  /** The workflow type name the harness starts. */
  String TYPE = "BenchHandWritten";

  /**
   * Calls {@code bench.noop} {@code steps} times in sequence; returns how many calls succeeded.
   *
   * @param passOutcome also pass each step the previous one's outcome, as {@link NoopRunbook}'s
   *     expression variant does with {@code ${{ steps.PREVIOUS.outcome }}}
   */
  @WorkflowMethod(name = TYPE)
  int run(int steps, boolean passOutcome);
}
