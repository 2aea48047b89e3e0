package io.drctl.worker.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * One scheduled activity, or one child incident of a runbook step, as its events tell it. Temporal
 * writes one started event per scheduled activity, and only when it closes: it carries the number
 * of the last attempt and the failure of the attempt before it. Earlier attempts leave nothing but
 * their count.
 */
final class ActivityRun {
  final String summary;

  /** The step it belongs to when the events name it (a child incident's id does); else null. */
  final String stepId;

  final String type;
  final JsonNode input;
  final String scheduledAt;
  Integer attempt;
  String startedAt;
  String worker;
  String previousError;

  /** succeeded, failed, timed-out, cancelled; null while open. */
  String outcome;

  String endedAt;
  JsonNode result;
  String error;

  ActivityRun(String summary, String stepId, String type, JsonNode input, String scheduledAt) {
    this.summary = summary;
    this.stepId = stepId;
    this.type = type;
    this.input = input;
    this.scheduledAt = scheduledAt;
  }

  boolean open() {
    return outcome == null;
  }

  /**
   * Every attempt the history accounts for, oldest first; {@code execution} numbers this run within
   * its step.
   */
  List<IncidentRecord.Attempt> attempts(int execution) {
    List<IncidentRecord.Attempt> attempts = new ArrayList<>();
    if (attempt == null) {
      attempts.add(
          new IncidentRecord.Attempt(
              execution, null, open() ? "running" : outcome, scheduledAt, endedAt, error, null));
      return attempts;
    }
    for (int earlier = 1; earlier < attempt - 1; earlier++) {
      attempts.add(
          new IncidentRecord.Attempt(execution, earlier, "retried", null, null, null, null));
    }
    if (attempt > 1) {
      attempts.add(
          new IncidentRecord.Attempt(
              execution, attempt - 1, "retried", null, null, previousError, null));
    }
    attempts.add(
        new IncidentRecord.Attempt(
            execution, attempt, open() ? "running" : outcome, startedAt, endedAt, error, worker));
    return attempts;
  }

  /**
   * Whether the history lacks the errors of some retried attempts: all but the last two always, and
   * the one before the last on a server that keeps no last failure (the Java test server).
   */
  boolean errorsNotKept() {
    return attempt != null && (attempt > 2 || attempt == 2 && previousError == null);
  }
}
