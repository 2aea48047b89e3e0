package io.drctl.steps;

import io.drctl.catalog.ActionDefinition;
import io.drctl.catalog.ActionKind;
import io.drctl.runbook.DefaultsSpec;
import io.drctl.runbook.StepSpec;

/**
 * The rules of one kind of step, in one class: what the compiler checks and resolves for it, and
 * what the interpreter does when it starts. Registered in {@link StepKinds} under its {@link
 * #key()}; a kind that the workflow carries out itself also has a launcher in the workflows module
 * under the same key. Implementations are stateless and immutable.
 */
public interface StepKind {
  /** The kind of action this class gives the rules of; one class per key. */
  ActionKind key();

  // --- compile rules ---

  /** Checks what only this kind has (its parameters beyond their schema). Called once per step. */
  default void check(StepCheck check) {}

  /**
   * The attempt timeout once defaults apply, or null when the step has none.
   *
   * @param action the step's action, for its own default
   */
  String timeout(StepSpec spec, ActionDefinition action, DefaultsSpec defaults);

  /**
   * Whether the runbook may set {@code retry} and {@code heartbeat} on the step: it runs as an
   * activity.
   */
  default boolean takesRetryAndHeartbeat() {
    return false;
  }

  /** Whether the step's activities are retried by the runbook's retry policy. */
  default boolean retried() {
    return false;
  }

  /**
   * The parameter that is a condition over the polled action's {@code result}, checked as such and
   * evaluated at run time rather than before the start; null when there is none.
   */
  default String resultCondition() {
    return null;
  }

  /** Whether a step of this kind, unconditional, fails whenever it runs. */
  default boolean alwaysFails() {
    return false;
  }

  /** Whether the steps after this one count as guarded: a person decided before they run. */
  default boolean guards() {
    return false;
  }

  /** Whether the step holds branches of steps and completes when they do. */
  default boolean hasBranches() {
    return false;
  }

  // --- run rules ---

  /**
   * What starting a step of this kind does, once its condition held and its parameters were
   * evaluated.
   */
  default void begin(StepStart start) {
    start.run();
  }

  /** Whether a failed step of this kind may wait for an operator to retry or skip it. */
  default boolean operatorMayRetry() {
    return true;
  }

  /** The first non-null value, or null. */
  @SafeVarargs
  static <T> T first(T... values) {
    for (T value : values) {
      if (value != null) {
        return value;
      }
    }
    return null;
  }
}
