package io.drctl.worker.schedules;

/**
 * A schedule id the runbook needs is held by a schedule drctl does not own; nothing was changed.
 */
public final class ScheduleConflictException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  ScheduleConflictException(String message) {
    super(message);
  }
}
