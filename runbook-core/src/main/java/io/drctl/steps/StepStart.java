package io.drctl.steps;

import com.fasterxml.jackson.databind.JsonNode;

/** What the interpreter offers a {@link StepKind} to start one step with. */
public interface StepStart {
  /** The step's parameters, expressions evaluated. */
  JsonNode with();

  /** The step runs: the workflow is told to start it. */
  void run();

  /** The step runs, carried by the steps of its branches; the workflow starts nothing for it. */
  void runBranches();

  /** The step waits for approvals; the workflow starts its deadline. */
  void awaitApproval(String prompt);

  /** The step fails at once with this error type and message. */
  void fail(String errorType, String message);
}
