package io.drctl.worker.alerts;

import static io.drctl.worker.alerts.ReceiverTestBed.alertSignals;
import static io.drctl.worker.alerts.ReceiverTestBed.alertmanager;
import static io.drctl.worker.alerts.ReceiverTestBed.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * With Temporal gone the receiver answers 503, so that Alertmanager keeps the alert and retries;
 * once Temporal is back, the retried alert starts the incident. The server is stopped and started
 * again on the same port, as an operator restarting it would.
 */
// Mostly waits on a server that is down: runs alongside the sequential classes (see
// junit-platform.properties).
@Execution(ExecutionMode.CONCURRENT)
class ReceiverTemporalOutageTest {
  @Test
  void temporalDownIs503AndTheRetriedAlertStartsTheIncidentOnceItIsBack() throws Exception {
    try (ReceiverTestBed bed = ReceiverTestBed.start(64 * 1024)) {
      String alert =
          alertmanager("firing", Map.of("alertname", "DbDown", "service", "db"), "fp-outage");
      bed.stopServer();

      long asked = System.nanoTime();
      HttpResponse<String> down = bed.post(AlertFormat.alertmanager, alert, bearer());
      assertThat(down.statusCode()).as(down.body()).isEqualTo(503);
      assertThat(down.headers().firstValue("Retry-After")).isPresent();
      assertThat(down.body()).contains("Temporal is unreachable");
      assertThat(Duration.ofNanos(System.nanoTime() - asked))
          .as("answered in time for a sender's timeout")
          .isLessThan(Duration.ofSeconds(10));

      bed.startServer();
      HttpResponse<String> retried = down;
      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      while (retried.statusCode() == 503 && System.nanoTime() < deadline) {
        Thread.sleep(1000); // as Alertmanager retries, with a pause
        retried = bed.post(AlertFormat.alertmanager, alert, bearer());
      }
      assertThat(retried.statusCode()).as(retried.body()).isEqualTo(200);
      assertThat(retried.body()).contains("\"incident\":\"service_down/db\"");
      var incident = bed.client().newUntypedWorkflowStub("service_down/db");
      assertThat(incident.describe().getStatus())
          .isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);
      assertThat(alertSignals(bed.history("service_down/db"))).isEqualTo(1);
      incident.terminate("test over");
    }
  }
}
