package io.drctl.workflow;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.alerts.Alert;
import io.drctl.interpreter.Progress;
import java.util.List;

/**
 * The result of an incident workflow: what ran, how long it took against the objectives, who
 * decided what. Outputs have secrets redacted. Auditors read this and the history it came from.
 *
 * @param outcome succeeded, failed or aborted
 * @param rtoMet whether the incident ended within its RTO objective
 * @param rpoActualSeconds the data the incident lost, as measured by its steps (the largest value
 *     of an output marked {@code x-measures: dataLoss}, e.g. transactions of a failed primary that
 *     never reached the promoted replica); null when no step measured it
 * @param rpoMet whether that measured loss is within the RPO objective; null when not measured
 * @param rpoMeasuredBy the step whose measurement that is
 * @param undeliveredNotifications the notifications that ran in the background and were not
 *     delivered; each step's was escalated, and the incident went on without it. A lifecycle
 *     notification of the runbook's {@code notifications} has its event as {@code step} and is only
 *     recorded. Empty when all arrived
 * @param notes escalations (decided, sent or failed) and refused operator commands, oldest first
 * @param trigger the alert that started the incident (name, labels, fingerprint, startsAt), or null
 *     when a person or a parent incident started it
 * @param alerts the alerts received while it ran, or null when none came
 * @param detectedAt when the problem was detected, if before the start: the {@code startsAt} of the
 *     triggering alert. {@code durationSeconds} and {@code rtoMet} count from it, so the RTO
 *     includes the time between the alert firing and the incident starting. Null otherwise
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IncidentReport(
    String incidentId,
    String type,
    String title,
    String severity,
    String runbookVersion,
    String planHash,
    String startedBy,
    JsonNode inputs,
    String startedAt,
    String endedAt,
    String outcome,
    String failure,
    String rtoObjective,
    String rpoObjective,
    long durationSeconds,
    boolean rtoMet,
    Double rpoActualSeconds,
    Boolean rpoMet,
    String rpoMeasuredBy,
    List<StepReport> steps,
    List<Progress.Decision> decisions,
    List<UndeliveredNotification> undeliveredNotifications,
    List<String> notes,
    Alert trigger,
    Progress.Alerts alerts,
    String detectedAt) {

  /** One step's record. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record StepReport(
      String id,
      String title,
      String action,
      String path,
      String status,
      int attempts,
      String startedAt,
      String endedAt,
      Long durationMillis,
      JsonNode output,
      String error) {}

  /** A background notification that failed for good: which step, and why it was not delivered. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record UndeliveredNotification(String step, String title, String error) {}
}
