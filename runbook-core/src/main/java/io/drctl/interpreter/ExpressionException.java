package io.drctl.interpreter;

/**
 * An expression of the plan could not be evaluated against the incident's state (a missing output
 * field, a type the condition does not expect, a CEL runtime error). It is a fact about the
 * runbook, not a bug: the step it belongs to fails with error type {@code ExpressionError}. Any
 * other exception out of the interpreter is a bug and must fail the workflow task instead, so that
 * Temporal retries it once a fixed worker is deployed.
 */
public final class ExpressionException extends Exception {
  private static final long serialVersionUID = 1L;

  /**
   * @param message names the expression and why it failed
   */
  public ExpressionException(String message) {
    super(message);
  }
}
