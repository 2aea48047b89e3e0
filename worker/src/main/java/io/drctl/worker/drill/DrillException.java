package io.drctl.worker.drill;

/**
 * A drill could not go on: set-up failed, a failure could not be made, a wait ran out. One line,
 * for the operator.
 */
public final class DrillException extends RuntimeException {
  public DrillException(String message) {
    super(message);
  }

  public DrillException(String message, Throwable cause) {
    super(message, cause);
  }
}
