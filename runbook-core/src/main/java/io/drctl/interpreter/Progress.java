package io.drctl.interpreter;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.drctl.alerts.Alert;
import java.util.List;

/**
 * Where an incident stands: the answer to the {@code progress} query.
 *
 * @param status running, paused, waiting (for an approval or an operator), succeeded, failed or
 *     aborted
 * @param elapsedSeconds time since the start, by workflow time
 * @param rtoSeconds the RTO objective in seconds
 * @param waiting what the incident waits for, in words, or null
 * @param trigger the alert that started the incident, or null when a person or a parent did
 * @param alerts the alerts received about the incident's problem, or null when none came
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Progress(
    String incidentId,
    String type,
    String title,
    String status,
    String startedAt,
    String startedBy,
    long elapsedSeconds,
    long rtoSeconds,
    String waiting,
    List<StepProgress> steps,
    List<Decision> decisions,
    Alert trigger,
    Alerts alerts) {

  /**
   * One step.
   *
   * @param path the parallel step and branch holding it, e.g. {@code restore/postgres}; empty at
   *     the top level
   * @param status pending, running, waiting-approval, recovering, waiting-operator, succeeded,
   *     recovered, failed, skipped or cancelled
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record StepProgress(
      String id,
      String title,
      String action,
      String path,
      String status,
      int attempts,
      String startedAt,
      String endedAt,
      String lastError,
      String summary) {}

  /** An approval or an operator command that took effect: who, what, why, when. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Decision(
      String at, String command, String step, String by, String reason, String comment) {}

  /**
   * The alerts an incident received through the {@code alert} signal.
   *
   * @param received every alert signal, firing and resolved
   * @param lastAt when the last one arrived (workflow time)
   * @param fingerprints the distinct fingerprints seen, first seen first, at most 100
   * @param fingerprintsNotListed distinct fingerprints beyond those listed, or null
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Alerts(
      int received,
      int firing,
      int resolved,
      String lastAt,
      Alert last,
      List<String> fingerprints,
      Integer fingerprintsNotListed) {}
}
