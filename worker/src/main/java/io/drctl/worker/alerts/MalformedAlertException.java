package io.drctl.worker.alerts;

/** A payload the receiver cannot read; the message says what is wrong and where, for a 400. */
public final class MalformedAlertException extends Exception {
  private static final long serialVersionUID = 1L;

  public MalformedAlertException(String message) {
    super(message);
  }
}
