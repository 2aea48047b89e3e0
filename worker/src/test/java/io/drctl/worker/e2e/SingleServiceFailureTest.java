package io.drctl.worker.e2e;

import static io.drctl.testing.Await.awaitTrue;
import static io.drctl.worker.e2e.E2eHarness.describe;
import static io.drctl.worker.e2e.E2eHarness.ranInOrder;
import static io.drctl.worker.e2e.E2eHarness.step;
import static io.drctl.worker.e2e.E2eHarness.stepReport;
import static org.assertj.core.api.Assertions.assertThat;

import io.drctl.interpreter.Progress;
import io.drctl.sandbox.Role;
import io.drctl.sandbox.Sandbox;
import io.drctl.sandbox.SandboxLayout;
import io.drctl.workflow.IncidentReport;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Issue 4, part 5: the {@code single_service_failure} incident of {@code runbooks/dr-runbook.json},
 * unchanged, against real containers. A standalone Temporal server (the Temporal CLI's dev server
 * when {@code bin/setup temporal} installed it, else the Java test server in its own JVM), a worker
 * in a separate JVM ({@code drctl worker}), a test sandbox ({@value #SANDBOX}, ports 29300-29319,
 * so a user's default sandbox is never touched) with its stand-ins for PagerDuty and Slack. The
 * incident is started and steered through the CLI, as an operator would, and as the README's quick
 * start does.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Execution(ExecutionMode.CONCURRENT)
class SingleServiceFailureTest {
  private static final String SANDBOX = "e2e";
  private static final SandboxLayout LAYOUT = SandboxLayout.of(SANDBOX, 29300);
  private static final String QUEUE = "single-service-failure-e2e";
  private static final Path RUNBOOK = E2eHarness.RUNBOOK;
  private static final String INCIDENT = "single_service_failure";
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

  @RegisterExtension
  static final E2eSandbox E2E = E2eSandbox.forEachClass(LAYOUT, QUEUE).broughtUp();

  private WorkflowClient client;

  @BeforeAll
  void startSandboxServerAndWorker() throws Exception {
    client = E2E.harness().client();
  }

  @Test
  @Execution(ExecutionMode.SAME_THREAD)
  @Order(1)
  void aKilledBackendIsInspectedRestartedAfterTheVetoWindowAndHealthyAgain() throws Exception {
    E2E.sandbox().up(Sandbox.UpOptions.keepDataset(E2E.dir().resolve("sandbox.targets.json")));
    E2E.docker().killContainerCmd(LAYOUT.container(Role.BACKEND)).exec();
    assertThat(healthStatus()).as("the backend is down").isEqualTo(-1);

    String id = "ssf-killed-" + System.nanoTime();
    E2eHarness.Cli started =
        cli(
            "start",
            INCIDENT,
            "-r",
            RUNBOOK.toString(),
            "-t",
            E2E.targets().toString(),
            "--id",
            id,
            "--input",
            "alert=backend container killed",
            "--by",
            "e2e-test",
            "--reason",
            "single service failure drill");
    assertThat(started.exitCode()).as(started.text()).isZero();

    awaitProgress(
        id,
        progress -> step(progress, "veto").status().equals("waiting-approval"),
        "the veto window");
    E2eHarness.Cli approved =
        cli("approve", id, "--reason", "restart it now", "--by", "e2e-operator");
    assertThat(approved.exitCode()).as(approved.text()).isZero();

    IncidentReport report = result(id, Duration.ofSeconds(90));
    assertThat(report.outcome()).as(describe(report)).isEqualTo("succeeded");
    assertThat(ranInOrder(report))
        .containsExactly("inspect", "veto", "restart", "health", "resolved");
    assertThat(stepReport(report, "inspect").output().path("status").asText()).isEqualTo("exited");
    assertThat(stepReport(report, "inspect").output().path("exitCode").asInt()).isEqualTo(137);
    assertThat(stepReport(report, "restart").attempts()).isEqualTo(1);
    assertThat(stepReport(report, "restart").output().path("restarts").asInt()).isEqualTo(1);
    assertThat(stepReport(report, "health").output().path("status").asInt()).isEqualTo(200);
    assertThat(stepReport(report, "escalate").status()).isEqualTo("skipped");
    assertThat(report.decisions())
        .anySatisfy(
            decision -> {
              assertThat(decision.command()).isEqualTo("approve");
              assertThat(decision.step()).isEqualTo("veto");
              assertThat(decision.by()).isEqualTo("e2e-operator");
            });
    assertThat(E2E.delivered(Role.SLACK))
        .anySatisfy(body -> assertThat(body).contains("backend recovered after 1 restart(s)"));
    assertThat(E2E.delivered(Role.PAGERDUTY)).isEmpty();
    assertThat(healthStatus()).isEqualTo(200);

    // The README's quick start ends with these two.
    E2eHarness.Cli watched = cli("watch", id);
    assertThat(watched.exitCode()).as(watched.text()).isZero();
    assertThat(watched.out()).contains(id + ": succeeded");
    E2eHarness.Cli notifications =
        E2eHarness.local(
            "sandbox",
            "notifications",
            "--name",
            SANDBOX,
            "--port-base",
            String.valueOf(LAYOUT.portBase()));
    assertThat(notifications.exitCode()).as(notifications.text()).isZero();
    assertThat(notifications.out())
        .contains("slack")
        .contains("backend recovered after 1 restart(s)")
        .contains("Alert: backend container killed")
        .doesNotContain("refused");
  }

  @Test
  @Execution(ExecutionMode.SAME_THREAD)
  @Order(2)
  void aCrashLoopingBackendFailsThreeRestartsThenPagesAndTheOperatorRetriesTheRestartOnceItIsFixed()
      throws Exception {
    E2E.sandbox().up(Sandbox.UpOptions.keepDataset(E2E.dir().resolve("sandbox.targets.json")));
    E2E.sandbox().recreate(Role.BACKEND, Map.of("BACKEND_CRASH", "1"));
    awaitTrue(
        () ->
            !Boolean.TRUE.equals(
                E2E.docker()
                    .inspectContainerCmd(LAYOUT.container(Role.BACKEND))
                    .exec()
                    .getState()
                    .getRunning()),
        Duration.ofSeconds(20),
        "the broken backend to exit");

    String id = "ssf-crashloop-" + System.nanoTime();
    E2eHarness.Cli started =
        cli(
            "start",
            INCIDENT,
            "-r",
            RUNBOOK.toString(),
            "-t",
            E2E.targets().toString(),
            "--id",
            id,
            "--input",
            "alert=backend crash-looping",
            "--by",
            "e2e-test");
    assertThat(started.exitCode()).as(started.text()).isZero();
    awaitProgress(
        id,
        progress -> step(progress, "veto").status().equals("waiting-approval"),
        "the veto window");
    assertThat(cli("approve", id, "--reason", "go", "--by", "e2e-operator").exitCode()).isZero();

    Progress waiting =
        awaitProgress(
            id,
            progress -> progress.status().equals("waiting"),
            "the incident to wait for an operator");
    assertThat(waiting.waiting()).contains("an operator to retry, skip or abort 'restart'");
    assertThat(step(waiting, "restart").status()).isEqualTo("waiting-operator");
    assertThat(step(waiting, "restart").lastError())
        .contains(LAYOUT.container(Role.BACKEND))
        .contains("not healthy");
    assertThat(step(waiting, "escalate").status()).isEqualTo("failed");
    assertThat(step(waiting, "escalate").lastError()).contains("paged level 1");
    assertThat(step(waiting, "health").status()).isEqualTo("pending");
    assertThat(step(waiting, "resolved").status()).isEqualTo("pending");
    assertThat(restartAttempts(id)).as("Temporal ran docker.restart's attempts").isEqualTo(3);
    assertThat(E2E.delivered(Role.PAGERDUTY))
        .as("accepted: the routing key was right")
        .anySatisfy(
            body ->
                assertThat(body)
                    .contains("backend did not become healthy after 3 restarts")
                    .contains(id));

    E2eHarness.Cli status = cli("status", id);
    assertThat(status.exitCode()).as(status.text()).isZero();
    assertThat(status.out()).contains("waiting-operator").contains("restart").contains("escalate");

    assertThat(healthStatus()).as("nothing brought the broken backend back").isEqualTo(-1);

    // The operator fixes the backend's configuration, then retries the restart step.
    E2E.sandbox().up(Sandbox.UpOptions.keepDataset(E2E.dir().resolve("sandbox.targets.json")));
    E2eHarness.Cli retried =
        cli(
            "retry",
            id,
            "--step",
            "restart",
            "--reason",
            "backend config fixed",
            "--by",
            "e2e-operator");
    assertThat(retried.exitCode()).as(retried.text()).isZero();
    WorkflowStub stub = client.newUntypedWorkflowStub(id);
    awaitTrue(
        () ->
            stub.describe().getStatus()
                != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING,
        Duration.ofSeconds(120),
        "the incident to end");
    IncidentReport report = stub.getResult(IncidentReport.class);
    assertThat(report.outcome()).isEqualTo("succeeded");
    assertThat(stepReport(report, "restart").status()).isEqualTo("succeeded");
    assertThat(stepReport(report, "health").output().path("status").asInt()).isEqualTo(200);
    assertThat(report.decisions())
        .anySatisfy(
            decision -> {
              assertThat(decision.command()).isEqualTo("retry");
              assertThat(decision.step()).isEqualTo("restart");
            });
    assertThat(healthStatus()).isEqualTo(200);
  }

  private E2eHarness.Cli cli(String... args) {
    return E2E.harness().cli(args);
  }

  private Progress awaitProgress(String id, Predicate<Progress> condition, String what)
      throws Exception {
    return E2E.harness().awaitProgress(id, condition, what);
  }

  private IncidentReport result(String id, Duration timeout) throws Exception {
    return E2E.harness().result(id, timeout);
  }

  /** The attempt of the last start of the docker.restart activity, from the incident's history. */
  private int restartAttempts(String id) {
    List<HistoryEvent> events = client.fetchHistory(id).getHistory().getEventsList();
    List<Long> restarts =
        events.stream()
            .filter(event -> event.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)
            .filter(
                event ->
                    event
                        .getActivityTaskScheduledEventAttributes()
                        .getActivityType()
                        .getName()
                        .equals("docker.restart"))
            .map(HistoryEvent::getEventId)
            .toList();
    assertThat(restarts).as("docker.restart is scheduled once; Temporal retries it").hasSize(1);
    return events.stream()
        .filter(event -> event.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED)
        .filter(
            event ->
                event.getActivityTaskStartedEventAttributes().getScheduledEventId()
                    == restarts.get(0))
        .mapToInt(event -> event.getActivityTaskStartedEventAttributes().getAttempt())
        .max()
        .orElse(0);
  }

  /** The backend's health status code, -1 when nothing answers. */
  private static int healthStatus() {
    try {
      return HTTP.send(
              HttpRequest.newBuilder(URI.create(LAYOUT.healthUrl()))
                  .timeout(Duration.ofSeconds(5))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }
}
