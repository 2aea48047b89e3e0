package io.drctl.worker.report;

/**
 * A report that cannot be made for what was asked: no such incident, not an incident, no
 * visibility.
 */
public final class ReportException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ReportException(String message) {
    super(message);
  }
}
