package io.drctl.worker.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.drctl.workflow.IncidentReport;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The series {@link IncidentMetrics} makes of incident reports, as Prometheus reads them. */
class IncidentMetricsTest {
  @Test
  void aMeasuredDataLossIsTheLastValueOfItsTypeBesideTheObjectives() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    IncidentMetrics metrics = new IncidentMetrics(registry);

    metrics.incidentEnded(report("database_failure", "succeeded", 1500, true, "1h", "15m", 2.5));
    metrics.incidentEnded(report("database_failure", "failed", 4000, false, "1h", "15m", 30.0));
    metrics.incidentEnded(report("cache_failure", "succeeded", 100, true, "15m", null, null));

    Exposition scraped = Exposition.parse(registry.scrape());
    assertThat(scraped.value("drctl_rpo_lost_seconds", "type", "database_failure")).hasValue(30.0);
    assertThat(scraped.find("drctl_rpo_lost_seconds", "type", "cache_failure")).isEmpty();
    assertThat(scraped.value("drctl_incident_rpo_objective_seconds", "type", "database_failure"))
        .hasValue(900.0);
    assertThat(scraped.value("drctl_incident_rto_objective_seconds", "type", "cache_failure"))
        .hasValue(900.0);
    assertThat(
            scraped.value("drctl_incidents_total", "type", "database_failure", "outcome", "failed"))
        .hasValue(1.0);
    assertThat(
            scraped.value(
                "drctl_incident_duration_seconds_sum",
                "type",
                "database_failure",
                "outcome",
                "failed",
                "rto_met",
                "false"))
        .hasValue(4000.0);
    assertThat(
            scraped.value(
                "drctl_incident_duration_seconds_bucket",
                "type",
                "database_failure",
                "outcome",
                "succeeded",
                "le",
                "1800.0"))
        .hasValue(1.0);
    assertThat(
            scraped.value(
                "drctl_incident_duration_seconds_bucket",
                "type",
                "database_failure",
                "outcome",
                "succeeded",
                "le",
                "900.0"))
        .hasValue(0.0);
  }

  @Test
  void stepAttemptsCountByStepActionAndOutcome() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    IncidentMetrics metrics = new IncidentMetrics(registry);

    metrics.stepAttempt("database_failure", "restore", "postgres.restore", "failed");
    metrics.stepAttempt("database_failure", "restore", "postgres.restore", "failed");
    metrics.stepAttempt("database_failure", "restore", "postgres.restore", "succeeded");

    Exposition scraped = Exposition.parse(registry.scrape());
    assertThat(
            scraped.value(
                "drctl_step_attempts_total",
                "type",
                "database_failure",
                "step",
                "restore",
                "action",
                "postgres.restore",
                "outcome",
                "failed"))
        .hasValue(2.0);
    assertThat(scraped.value("drctl_step_attempts_total", "outcome", "succeeded")).hasValue(1.0);
  }

  private static IncidentReport report(
      String type,
      String outcome,
      long seconds,
      boolean rtoMet,
      String rto,
      String rpo,
      Double lost) {
    return new IncidentReport(
        "INC-1",
        type,
        type,
        "high",
        "1.0.0",
        "hash",
        "test",
        null,
        "2026-12-01T00:00:00Z",
        "2026-12-01T01:00:00Z",
        outcome,
        null,
        rto,
        rpo,
        seconds,
        rtoMet,
        lost,
        lost == null ? null : lost < 900,
        lost == null ? null : "promote",
        List.of(),
        List.of(),
        List.of(),
        List.of(),
        null,
        null,
        null);
  }
}
