package io.drctl.worker.alerts;

/** The webhook payloads the receiver reads, each at its own path: {@code POST /alerts/NAME}. */
public enum AlertFormat {
  /** Prometheus Alertmanager's webhook, version 4. */
  alertmanager,
  /** Grafana unified alerting's webhook contact point. */
  grafana,
  /** drctl's own: one alert object, or {@code {"alerts": [...]}} of them (README, "Alerts"). */
  generic;

  public String path() {
    return "/alerts/" + name();
  }
}
