package io.drctl.worker.report;

import io.drctl.plan.Durations;
import io.drctl.plan.Plan;
import io.drctl.workflow.IncidentReport;

/** The RTO and RPO objectives of a plan against what the incident measured. */
final class Measurements {
  private Measurements() {}

  /**
   * @param report the workflow's own report, or null when it has not ended (or ended without one)
   * @param elapsedMillis start to end, or to now while it runs
   * @param running whether it still runs: then the RTO is not met or missed yet
   */
  static IncidentRecord.Objectives of(
      Plan plan, IncidentReport report, long elapsedMillis, boolean running) {
    String rto = plan.objectives().rto();
    String rpo = plan.objectives().rpo();
    long rtoSeconds = Durations.parse(rto).toSeconds();
    Boolean rtoMet =
        report != null ? Boolean.valueOf(report.rtoMet()) : running ? null : Boolean.FALSE;
    return new IncidentRecord.Objectives(
        rto,
        rtoSeconds,
        report != null ? report.durationSeconds() : elapsedMillis / 1000,
        rtoMet,
        report == null ? null : report.detectedAt(),
        rpo,
        rpo == null ? null : Durations.parse(rpo).toSeconds(),
        report == null ? null : report.rpoActualSeconds(),
        report == null ? null : report.rpoMet(),
        report == null ? null : report.rpoMeasuredBy());
  }
}
