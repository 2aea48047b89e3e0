package io.drctl.worker.metrics;

import io.drctl.plan.Durations;
import io.drctl.workflow.IncidentReport;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * drctl's incident and step metrics in one registry, under the names operators' dashboards and
 * alert rules use:
 *
 * <ul>
 *   <li>{@code drctl_incidents_total{type,outcome}}: incidents ended (succeeded, failed, aborted,
 *       cancelled);
 *   <li>{@code drctl_incident_duration_seconds{type,outcome,rto_met}}: a histogram of how long they
 *       took, counted as the report counts it (from detection when an alert started it);
 *   <li>{@code drctl_incident_rto_objective_seconds{type}}: the RTO objective those durations are
 *       measured against;
 *   <li>{@code drctl_rpo_lost_seconds{type}}: the data the last incident of a type that measured it
 *       lost, with {@code drctl_incident_rpo_objective_seconds{type}} beside it;
 *   <li>{@code drctl_step_attempts_total{type,step,action,outcome}}: activity attempts of steps.
 * </ul>
 *
 * <p>Thread-safe. The caller decides when an event counts: {@link MetricsInterceptor} calls {@link
 * #incidentEnded} only outside replay, so each incident is counted once per worker that ends it.
 */
public final class IncidentMetrics {
  /** Histogram buckets in seconds: 1 min to 4 h, around the seed's RTOs (15 min to 1 h). */
  private static final double[] DURATION_BUCKETS = {
    60, 300, 600, 900, 1800, 2700, 3600, 7200, 14400
  };

  private final MeterRegistry registry;
  private final Map<String, AtomicReference<Double>> gauges = new ConcurrentHashMap<>();

  public IncidentMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Counts an incident that ended with its report (success, or a failure carrying it). */
  public void incidentEnded(IncidentReport report) {
    String type = report.type();
    String outcome = report.outcome() == null ? "unknown" : report.outcome();
    incidentEnded(type, outcome);
    DistributionSummary.builder("drctl.incident.duration")
        .description("How long incidents took, from detection (or start) to their end")
        .baseUnit("seconds")
        .serviceLevelObjectives(DURATION_BUCKETS)
        .tags("type", type, "outcome", outcome, "rto_met", Boolean.toString(report.rtoMet()))
        .register(registry)
        .record(report.durationSeconds());
    seconds(report.rtoObjective())
        .ifPresent(
            rto ->
                set(
                    "drctl.incident.rto.objective",
                    type,
                    "The RTO objective of an incident type",
                    rto));
    seconds(report.rpoObjective())
        .ifPresent(
            rpo ->
                set(
                    "drctl.incident.rpo.objective",
                    type,
                    "The RPO objective of an incident type",
                    rpo));
    if (report.rpoActualSeconds() != null) {
      set(
          "drctl.rpo.lost",
          type,
          "Data the last incident of a type lost, as its steps measured it",
          report.rpoActualSeconds());
    }
  }

  /** Counts an incident that ended without a report (cancelled through Temporal). */
  public void incidentEnded(String type, String outcome) {
    Counter.builder("drctl.incidents")
        .description("Incidents that ended, by type and outcome")
        .tags("type", type, "outcome", outcome)
        .register(registry)
        .increment();
  }

  /** Counts one attempt of a step's activity. */
  public void stepAttempt(String type, String step, String action, String outcome) {
    Counter.builder("drctl.step.attempts")
        .description("Activity attempts of incident steps, by outcome")
        .tags("type", type, "step", step, "action", action, "outcome", outcome)
        .register(registry)
        .increment();
  }

  private void set(String name, String type, String description, double value) {
    gauges
        .computeIfAbsent(
            name + "|" + type,
            key -> {
              AtomicReference<Double> holder = new AtomicReference<>(value);
              Gauge.builder(name, holder, AtomicReference::get)
                  .description(description)
                  .baseUnit("seconds")
                  .tags("type", type)
                  .register(registry);
              return holder;
            })
        .set(value);
  }

  private static Optional<Double> seconds(String duration) {
    if (duration == null || !Durations.isValid(duration)) {
      return Optional.empty();
    }
    Duration parsed = Durations.parse(duration);
    return Optional.of((double) parsed.toSeconds());
  }
}
