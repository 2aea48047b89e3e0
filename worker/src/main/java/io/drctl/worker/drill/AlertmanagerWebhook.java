package io.drctl.worker.drill;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Raises an alert the way Prometheus Alertmanager does: its version 4 webhook, posted to the
 * receiver's {@code /alerts/alertmanager} with the bearer token, {@code startsAt} the moment the
 * failure was detected, so that the incident counts its RTO from there.
 */
final class AlertmanagerWebhook {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final String receiverUrl;
  private final String token;

  AlertmanagerWebhook(String receiverUrl, String token) {
    this.receiverUrl = receiverUrl;
    this.token = token;
  }

  /**
   * Posts one firing alert.
   *
   * @throws DrillException unless the receiver answers 200 (every alert delivered to an incident)
   */
  void fire(Map<String, String> labels, String summary, Instant startsAt)
      throws InterruptedException {
    ObjectNode body = JSON.createObjectNode();
    body.put("version", "4");
    body.put("groupKey", "{}:{alertname=\"" + labels.get("alertname") + "\"}");
    body.put("status", "firing");
    body.put("receiver", "drctl");
    ObjectNode alert = body.putArray("alerts").addObject();
    alert.put("status", "firing");
    labels.forEach(alert.putObject("labels")::put);
    alert.putObject("annotations").put("summary", summary);
    alert.put("startsAt", startsAt.toString());
    alert.put("endsAt", "0001-01-01T00:00:00Z");
    alert.put("generatorURL", "drctl drill");
    HttpResponse<String> response;
    try {
      response =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(receiverUrl + "/alerts/alertmanager"))
                  .timeout(Duration.ofSeconds(30))
                  .header("Content-Type", "application/json")
                  .header("Authorization", "Bearer " + token)
                  .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new DrillException(
          "the alert receiver at " + receiverUrl + " did not answer: " + e.getMessage(), e);
    }
    if (response.statusCode() != 200) {
      throw new DrillException(
          "the alert receiver answered "
              + response.statusCode()
              + " to alert "
              + labels.get("alertname")
              + ": "
              + response.body());
    }
  }
}
