package io.drctl.worker.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.drctl.alerts.Alert;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the receiver answers when the hand-over fails, with no Temporal behind it. */
class AlertReceiverAnswersTest {
  private static final String BODY = "{\"labels\": {\"alertname\": \"PostgresDown\"}}";

  private static HttpResponse<String> post(AlertSink sink) throws Exception {
    try (AlertReceiver receiver =
        AlertReceiver.start(
            new ReceiverSettings("127.0.0.1", 0, 4096, 2, RequestAuthentication.none()),
            sink,
            Clock.systemUTC())) {
      return HttpClient.newHttpClient()
          .send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + receiver.port() + "/alerts/generic"))
                  .POST(HttpRequest.BodyPublishers.ofString(BODY))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
    }
  }

  @Test
  void anUnexpectedFailureIsA500WithItsReasonNotADroppedConnection() throws Exception {
    HttpResponse<String> response =
        post(
            alert -> {
              throw new IllegalStateException("search attribute IncidentType is not defined");
            });
    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(response.body()).contains("search attribute IncidentType is not defined");
  }

  @Test
  void temporalUnavailableIs503WithRetryAfter() throws Exception {
    HttpResponse<String> response =
        post(
            alert -> {
              throw new TemporalUnavailableException("Temporal is unreachable: UNAVAILABLE", null);
            });
    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.headers().firstValue("Retry-After")).hasValue("10");
  }

  @Test
  void everyAlertIsHandedOverOnceAndTheAnswerListsEach() throws Exception {
    List<Alert> handed = new ArrayList<>();
    HttpResponse<String> response =
        post(
            alert -> {
              handed.add(alert);
              return Delivery.of(
                  alert, Delivery.Outcome.delivered, "database_failure/pg-primary", "run-1", null);
            });
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(handed)
        .singleElement()
        .satisfies(a -> assertThat(a.name()).isEqualTo("PostgresDown"));
    assertThat(response.body())
        .contains("\"outcome\":\"delivered\"")
        .contains("\"runId\":\"run-1\"");
  }
}
