package io.drctl.worker.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drctl.alerts.Alert;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Webhook bodies as Alertmanager, Grafana and generic senders write them. */
class AlertPayloadsTest {
  private static final String NOW = "2026-12-06T10:00:01.000Z";

  private static List<Alert> read(AlertFormat format, String body) throws MalformedAlertException {
    return AlertPayloads.read(format, body.getBytes(StandardCharsets.UTF_8), NOW);
  }

  @Test
  void aGrafanaUnifiedAlertingPayloadGivesEachAlertWithItsOwnStatus()
      throws MalformedAlertException {
    List<Alert> alerts =
        read(
            AlertFormat.grafana,
            """
        {"receiver": "drctl", "status": "firing", "orgId": 1, "version": "1", "state": "alerting",
         "title": "[FIRING:2] PostgresDown", "groupKey": "{}/{}:{alertname=\\"PostgresDown\\"}",
         "alerts": [
           {"status": "firing", "labels": {"alertname": "PostgresDown", "service": "postgres", "grafana_folder": "db"},
            "annotations": {"summary": "primary unreachable"}, "startsAt": "2026-12-06T09:58:00Z",
            "endsAt": "0001-01-01T00:00:00Z", "fingerprint": "a1b2c3d4e5f60718", "values": {"B": 0}},
           {"status": "resolved", "labels": {"alertname": "PostgresDown", "service": "replica"},
            "annotations": {}, "startsAt": "2026-12-06T09:50:00Z", "fingerprint": "0718a1b2c3d4e5f6"}]}
        """);
    assertThat(alerts)
        .extracting(Alert::source, Alert::status, Alert::fingerprint)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("grafana", "firing", "a1b2c3d4e5f60718"),
            org.assertj.core.groups.Tuple.tuple("grafana", "resolved", "0718a1b2c3d4e5f6"));
    assertThat(alerts.get(0).labels()).containsEntry("service", "postgres");
    assertThat(alerts.get(0).annotations()).containsEntry("summary", "primary unreachable");
    assertThat(alerts.get(0).startsAt()).isEqualTo("2026-12-06T09:58:00Z");
    assertThat(alerts.get(0).receivedAt()).isEqualTo(NOW);
  }

  @Test
  void aGenericAlertIsFiringByDefaultAndWithoutFingerprintGetsOneFromItsLabels()
      throws MalformedAlertException {
    Alert one =
        read(
                AlertFormat.generic,
                "{\"labels\": {\"service\": \"redis\", \"alertname\": \"RedisDown\", \"port\": 6379}}")
            .get(0);
    Alert same =
        read(
                AlertFormat.generic,
                "{\"alerts\": [{\"labels\": {\"alertname\": \"RedisDown\", \"port\": \"6379\", \"service\": \"redis\"}}]}")
            .get(0);
    assertThat(one.status()).isEqualTo("firing");
    assertThat(one.labels()).containsEntry("port", "6379");
    assertThat(one.fingerprint()).hasSize(16).isEqualTo(same.fingerprint());
  }

  @Test
  void anAlertmanagerAlertWithoutStatusTakesTheGroups() throws MalformedAlertException {
    Alert alert =
        read(
                AlertFormat.alertmanager,
                "{\"version\": \"4\", \"status\": \"resolved\", \"alerts\": [{\"labels\": {\"alertname\": \"BackendDown\"}}]}")
            .get(0);
    assertThat(alert.status()).isEqualTo("resolved");
  }

  @Test
  void malformedPayloadsNameTheirProblemAndWhere() {
    assertThatThrownBy(() -> read(AlertFormat.generic, "[1]"))
        .hasMessage("the body must be a JSON object");
    assertThatThrownBy(() -> read(AlertFormat.alertmanager, "{\"version\": \"4\", \"alerts\": []}"))
        .hasMessage("/alerts: must be a non-empty array of alerts");
    assertThatThrownBy(
            () -> read(AlertFormat.grafana, "{\"alerts\": [{\"labels\": {\"a\": {\"b\": 1}}}]}"))
        .hasMessage("/alerts/0/labels/a: must be a string");
    assertThatThrownBy(
            () -> read(AlertFormat.generic, "{\"labels\": {\"a\": \"b\"}, \"fingerprint\": 7}"))
        .hasMessage("/fingerprint: must be a string");
    assertThatThrownBy(
            () ->
                read(
                    AlertFormat.alertmanager,
                    "{\"version\": \"4\", \"alerts\": [{\"labels\": {\"a\": \"b\"}"))
        .hasMessageStartingWith("not JSON:");
  }
}
