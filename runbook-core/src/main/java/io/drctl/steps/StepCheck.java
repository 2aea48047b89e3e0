package io.drctl.steps;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.drctl.catalog.ActionDefinition;
import io.drctl.runbook.StepSpec;
import java.util.Optional;

/**
 * What the compiler offers a {@link StepKind} to check one step with. Errors name their JSON
 * pointer.
 */
public interface StepCheck {
  StepSpec spec();

  /** The JSON pointer of the step. */
  String pointer();

  void error(String code, String pointer, String message, String hint);

  /** An error shown at the member's key rather than its value. */
  void errorAtKey(String code, String pointer, String message, String hint);

  /** Reports {@code text} at {@code pointer} unless it is a positive duration. */
  void positiveDuration(String text, String pointer);

  Optional<ActionDefinition> action(String name);

  /** Reports an action that cannot be used here, with a did-you-mean hint. */
  void unusableAction(String pointer, String message, String name);

  /** Checks {@code with} against {@code action}'s parameter schema and target references. */
  void params(ActionDefinition action, ObjectNode with, String pointer);

  /** Checks that {@code type} is an incident of the runbook and that the inputs given it fit. */
  void childIncident(String type, String pointer);
}
