package io.drctl.worker.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.alerts.Alert;
import java.util.List;

/**
 * One incident as its workflow history tells it: what {@code drctl report ID} prints as markdown,
 * HTML or JSON. Built by {@link HistoryReport} from the history alone, so it needs no worker and
 * reads incidents of any age on any cluster. Secrets are masked throughout: by member name, and the
 * values of secret-named inputs wherever else they appear.
 *
 * @param status running, succeeded, failed, aborted, cancelled, terminated, timed-out or
 *     continued-as-new
 * @param plan the pinned plan as the incident ran it
 * @param steps every step of the plan, in plan order, then any activity the plan does not name
 * @param backups the backups the steps named in their inputs or outputs
 * @param limits what the history does not hold, said once for the reader
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IncidentRecord(
    String incidentId,
    String runId,
    String type,
    String title,
    String severity,
    String status,
    String failure,
    Trigger trigger,
    Runbook runbook,
    JsonNode inputs,
    String startedAt,
    String endedAt,
    Long durationSeconds,
    Objectives objectives,
    List<Step> steps,
    List<OperatorAction> operatorActions,
    List<Backup> backups,
    List<String> notes,
    List<String> limits,
    JsonNode plan) {

  /**
   * Who or what started the incident.
   *
   * @param kind alert, schedule, parent, cli (a drctl client: the CLI or the receiver's start
   *     without an alert) or ui (a bare start, e.g. the Temporal Web UI's form)
   * @param startedBy the identity drctl recorded (the CLI's --by, the schedule), or null
   * @param clientIdentity the Temporal client identity that sent the start
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Trigger(
      String kind,
      String startedBy,
      String reason,
      String clientIdentity,
      Alert alert,
      String scheduleId,
      String parentWorkflowId,
      Integer alertsReceived) {}

  /** The runbook and plan the incident pinned at its start. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Runbook(String name, String version, String sourceHash, String planHash) {}

  /**
   * The objectives against what was measured. Null measurements were not taken (RPO) or are not
   * final (RTO of a running incident: elapsed so far). {@code rtoMeasuredFrom} is the triggering
   * alert's {@code startsAt} when the RTO counts from that detection, before the start; else null.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Objectives(
      String rto,
      Long rtoSeconds,
      Long rtoMeasuredSeconds,
      Boolean rtoMet,
      String rtoMeasuredFrom,
      String rpo,
      Long rpoSeconds,
      Double rpoMeasuredSeconds,
      Boolean rpoMet,
      String rpoMeasuredBy) {}

  /**
   * One step.
   *
   * @param path the parallel step and branch holding it; empty at the top level
   * @param input what its last activity received (masked), or null for built-in steps
   * @param attempts every attempt the history records, oldest first
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Step(
      String id,
      String title,
      String action,
      String path,
      String status,
      String startedAt,
      String endedAt,
      Long durationMillis,
      JsonNode input,
      JsonNode output,
      String error,
      List<Attempt> attempts) {}

  /**
   * One attempt of one activity (or child incident) of a step.
   *
   * @param execution which time the step's activity was scheduled (operator retries and polls
   *     schedule it again), from 1
   * @param attempt Temporal's attempt number within that execution, from 1; null while the first
   *     attempt of a running activity is not yet recorded
   * @param outcome succeeded, failed, timed-out, cancelled, running or retried
   * @param error the error, or null; for attempts before the last failed one the history holds none
   *     (see {@link IncidentRecord#limits})
   * @param worker the identity of the worker that ran the last attempt; for a child incident,
   *     "child" and its workflow id, whose own report {@code drctl report} gives
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Attempt(
      int execution,
      Integer attempt,
      String outcome,
      String startedAt,
      String endedAt,
      String error,
      String worker) {}

  /**
   * An operator command as the history holds it.
   *
   * @param via update (the CLI) or signal (the Web UI)
   * @param result for an update, the workflow's answer; for a signal, null
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record OperatorAction(
      String at,
      String command,
      String step,
      String by,
      String reason,
      String comment,
      String via,
      String clientIdentity,
      Boolean accepted,
      String result) {}

  /** A backup a step's output named, by id, with its checksum when the step gave one. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Backup(String backupId, String checksum, String step) {}
}
