package io.drctl.worker.drill;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What a drill measured for one scenario: a row of the SLA table.
 *
 * @param status {@code met} (recovered within both objectives), {@code missed} (recovered, but an
 *     objective was missed), {@code failed} (not recovered, or the outside check disagreed), or
 *     {@code skipped} (the platform cannot run it yet)
 * @param detectedAt the alert's {@code startsAt}: the RTO clock starts here
 * @param recoveredAt when the incident ended recovered
 * @param rtoSeconds detection to recovery
 * @param dataLostSeconds the time span of the writer's acknowledged writes lost
 * @param incidentRpoSeconds the loss the incident measured itself, when one of its steps does
 * @param verification what the outside check saw
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ScenarioResult(
    String scenario,
    String seedRow,
    String incident,
    String workflowId,
    String status,
    String outcome,
    String detectedAt,
    String recoveredAt,
    Double rtoSeconds,
    String rtoObjective,
    Long rtoObjectiveSeconds,
    Boolean rtoMet,
    Double dataLostSeconds,
    Long writesAcknowledged,
    Long writesLost,
    String writer,
    String rpoObjective,
    Long rpoObjectiveSeconds,
    Boolean rpoMet,
    Double incidentRpoSeconds,
    String verification,
    String failure) {

  /**
   * Whether recovery took at most a tenth of the RTO objective: the project's own goal for a drill
   * on a sandbox, stricter than the seed's; null when nothing recovered.
   */
  @com.fasterxml.jackson.annotation.JsonProperty("rtoWithinATenth")
  public Boolean rtoWithinATenth() {
    if (rtoMet == null) {
      return null;
    }
    // Met implies both times are known.
    return rtoMet && rtoSeconds * 10 <= rtoObjectiveSeconds;
  }

  static final String MET = "met";
  static final String MISSED = "missed";
  static final String FAILED = "failed";
  static final String SKIPPED = "skipped";

  /** A scenario the platform cannot run yet. */
  static ScenarioResult skipped(DrillScenario scenario, String why) {
    return new ScenarioResult(
        scenario.key(),
        scenario.seedRow(),
        scenario.incident(),
        null,
        SKIPPED,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        why);
  }

  /** A scenario that could not be brought to an end: set-up, injection or the incident broke. */
  static ScenarioResult failed(DrillScenario scenario, String workflowId, String why) {
    return new ScenarioResult(
        scenario.key(),
        scenario.seedRow(),
        scenario.incident(),
        workflowId,
        FAILED,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        why);
  }

  /** Whether the drill may exit 0 with this row: met, or skipped. */
  @JsonIgnore
  public boolean passed() {
    return status.equals(MET) || status.equals(SKIPPED);
  }
}
