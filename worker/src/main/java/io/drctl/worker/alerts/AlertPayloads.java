package io.drctl.worker.alerts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.drctl.alerts.Alert;
import io.drctl.plan.PlanJson;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads webhook bodies into {@link Alert}s. Alertmanager (version 4) and Grafana's unified alerting
 * both send {@code alerts[]} with status, labels, annotations, fingerprint and startsAt; the
 * generic form is one such alert, or {@code {"alerts": [...]}}. An alert without a status takes the
 * payload's, else firing; one without a fingerprint gets the SHA-256 of its sorted labels (first 16
 * hex digits), so the same label set always has the same fingerprint. Pure.
 */
public final class AlertPayloads {
  private static final ObjectMapper JSON = PlanJson.mapper();

  private AlertPayloads() {}

  /**
   * The alerts in {@code body}.
   *
   * @param receivedAt when they arrived, RFC 3339
   * @throws MalformedAlertException naming the first problem, with its JSON pointer
   */
  public static List<Alert> read(AlertFormat format, byte[] body, String receivedAt)
      throws MalformedAlertException {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw new MalformedAlertException(
          "not JSON: "
              + e.getOriginalMessage()
              + " at line "
              + e.getLocation().getLineNr()
              + ", column "
              + e.getLocation().getColumnNr());
    } catch (java.io.IOException e) {
      throw new MalformedAlertException("unreadable body: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw new MalformedAlertException("the body must be a JSON object");
    }
    if (format == AlertFormat.alertmanager && !"4".equals(root.path("version").asText(null))) {
      throw new MalformedAlertException(
          "/version: Alertmanager webhook version "
              + root.path("version")
              + " is not supported; version \"4\" is");
    }
    JsonNode list = root.get("alerts");
    if (format == AlertFormat.generic && list == null) {
      return List.of(alert(format, root, "", null, receivedAt));
    }
    if (list == null || !list.isArray() || list.isEmpty()) {
      throw new MalformedAlertException("/alerts: must be a non-empty array of alerts");
    }
    String groupStatus = root.path("status").isTextual() ? root.path("status").asText() : null;
    List<Alert> alerts = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      alerts.add(alert(format, list.get(i), "/alerts/" + i, groupStatus, receivedAt));
    }
    return alerts;
  }

  private static Alert alert(
      AlertFormat format, JsonNode node, String at, String groupStatus, String receivedAt)
      throws MalformedAlertException {
    if (!node.isObject()) {
      throw new MalformedAlertException(at + ": an alert must be a JSON object");
    }
    Map<String, String> labels = strings(node.get("labels"), at + "/labels");
    if (labels.isEmpty()) {
      throw new MalformedAlertException(
          at + "/labels: an alert needs labels, e.g. {\"alertname\": \"PostgresDown\"}");
    }
    Map<String, String> annotations = strings(node.get("annotations"), at + "/annotations");
    String status = text(node, "status", at);
    if (status == null) {
      status = groupStatus == null ? Alert.FIRING : groupStatus;
    }
    if (!Alert.FIRING.equals(status) && !Alert.RESOLVED.equals(status)) {
      throw new MalformedAlertException(
          at + "/status: '" + status + "' is neither firing nor resolved");
    }
    String fingerprint = text(node, "fingerprint", at);
    return new Alert(
        format.name(),
        status,
        labels,
        annotations,
        fingerprint == null || fingerprint.isEmpty() ? fingerprint(labels) : fingerprint,
        text(node, "startsAt", at),
        receivedAt);
  }

  private static String text(JsonNode node, String field, String at)
      throws MalformedAlertException {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw new MalformedAlertException(at + "/" + field + ": must be a string");
    }
    return value.asText();
  }

  private static Map<String, String> strings(JsonNode node, String at)
      throws MalformedAlertException {
    Map<String, String> values = new TreeMap<>();
    if (node == null || node.isNull()) {
      return values;
    }
    if (!node.isObject()) {
      throw new MalformedAlertException(at + ": must be an object of name: string");
    }
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      if (!field.getValue().isValueNode() || field.getValue().isNull()) {
        throw new MalformedAlertException(at + "/" + field.getKey() + ": must be a string");
      }
      values.put(field.getKey(), field.getValue().asText());
    }
    return values;
  }

  /** First 16 hex digits of the SHA-256 of the sorted labels as name=value lines. */
  static String fingerprint(Map<String, String> labels) {
    StringBuilder text = new StringBuilder();
    new TreeMap<>(labels)
        .forEach((name, value) -> text.append(name).append('=').append(value).append('\n'));
    return PlanJson.sha256(text.toString()).substring(0, 16);
  }
}
