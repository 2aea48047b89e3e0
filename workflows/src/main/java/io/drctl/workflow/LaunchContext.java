package io.drctl.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.interpreter.IncidentState;
import io.drctl.interpreter.Interpreter;
import io.temporal.workflow.Promise;

/** What the incident workflow offers a {@link StepLauncher}. */
interface LaunchContext {
  Interpreter interpreter();

  IncidentState state();

  /** Feeds the step's result (or failure) to the interpreter when it arrives. */
  void settle(String stepId, Promise<JsonNode> result);

  /** Runs {@code event} against the interpreter on the workflow's loop, then decides again. */
  void event(Runnable event);
}
