package io.drctl.worker.alerts;

/** Temporal could not be reached to hand an alert over: the sender should retry (503). */
public final class TemporalUnavailableException extends Exception {
  private static final long serialVersionUID = 1L;

  public TemporalUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
