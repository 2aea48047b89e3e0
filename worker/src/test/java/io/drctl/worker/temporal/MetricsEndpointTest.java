package io.drctl.worker.temporal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drctl.worker.TemporalSetupException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class MetricsEndpointTest {
  @Test
  void servesPrometheusTextAtSlashMetrics() throws Exception {
    try (MetricsEndpoint metrics = MetricsEndpoint.start("127.0.0.1", 0)) {
      metrics.scope().counter("drctl_test_total").inc(2);
      metrics.registry().counter("drctl_direct").increment();
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + metrics.port() + "/metrics"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Type"))
          .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
      assertThat(response.body()).contains("drctl_direct_total 1.0");
    }
  }

  @Test
  void aTakenPortIsNamed() throws Exception {
    try (MetricsEndpoint first = MetricsEndpoint.start("127.0.0.1", 0)) {
      assertThatThrownBy(() -> MetricsEndpoint.start("127.0.0.1", first.port()))
          .isInstanceOf(TemporalSetupException.class)
          .hasMessageContaining("--metrics-port " + first.port() + ": the port is taken");
    }
  }
}
