package io.drctl.worker.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.drctl.store.catalog.BackupCatalog;
import io.drctl.store.catalog.BackupMetadata;
import io.drctl.store.catalog.BackupRequest;
import io.drctl.store.catalog.BackupType;
import io.drctl.store.local.LocalObjectStore;
import io.drctl.store.object.ObjectStore;
import io.drctl.testing.FreePorts;
import io.drctl.worker.dev.DevServer;
import io.drctl.worker.metrics.Exposition;
import io.drctl.worker.temporal.TemporalConnection;
import io.drctl.worker.temporal.TemporalSettings;
import io.drctl.workflow.IncidentReport;
import io.temporal.client.WorkflowFailedException;
import io.temporal.failure.ApplicationFailure;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What Prometheus scrapes from {@code drctl worker --metrics-port} after real incidents: the worker
 * runs in its own process against the Java test server, serves a runbook whose backup store the
 * test filled, runs one incident that succeeds after a retried step and one that fails, and the
 * exposition text holds the drctl series with the values the incidents and the catalog give, beside
 * the SDK's {@code temporal_*} and the JVM's and the process's metrics.
 */
class WorkerMetricsTest {
  private static final String RUNBOOK =
      """
      {"version": "1.0.0", "name": "metrics",
       "targets": {"backups": {"kind": "backupStore", "store": "local", "path": "@STORE@"}},
       "incidents": [
        {"type": "metrics_drill", "title": "Metrics drill", "severity": "low", "objectives": {"rto": "10m", "rpo": "15m"},
         "inputs": {"workdir": {"type": "string", "description": "Where the flaky step leaves its mark.", "required": true}},
         "steps": [
           {"id": "pick", "action": "backup.select", "with": {"store": "backups", "service": "postgresql"}},
           {"id": "flaky", "action": "shell.exec", "retry": {"maxAttempts": 3, "initialInterval": "1s"},
            "with": {"argv": ["sh", "-c", "if [ -e tried ]; then echo worked; else touch tried; exit 3; fi"],
                     "workingDirectory": "${{ inputs.workdir }}"}}]},
        {"type": "metrics_broken", "title": "Metrics broken", "severity": "low", "objectives": {"rto": "5m"},
         "steps": [{"id": "fail", "action": "shell.exec", "retry": {"maxAttempts": 1}, "onExhausted": "fail",
                    "with": {"argv": ["false"]}}]}]}
      """;

  @TempDir Path dir;
  private DevServer server;
  private WorkerProcess worker;

  @AfterEach
  void stop() throws InterruptedException {
    if (worker != null) {
      worker.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void aScrapeAfterRealIncidentsShowsTheirCountsDurationsStepAttemptsAndTheBackupGauges()
      throws Exception {
    Path store = Files.createDirectories(dir.resolve("store"));
    Instant newestTaken = Instant.now().minus(Duration.ofHours(2));
    BackupMetadata older;
    BackupMetadata newest;
    try (ObjectStore objects = new LocalObjectStore(store)) {
      BackupCatalog catalog = new BackupCatalog(objects);
      older =
          catalog.write(
              backup("backup_older", newestTaken.minus(Duration.ofDays(1))),
              new ByteArrayInputStream("older dump".repeat(300).getBytes()));
      newest =
          catalog.write(
              backup("backup_newest", newestTaken),
              new ByteArrayInputStream("newest dump".repeat(700).getBytes()));
      older = catalog.markRestoreTested(older, "restore test VERIFIED (evidence metrics-test)");
      newest = catalog.verify(newest);
    }
    Path runbook =
        Files.writeString(
            dir.resolve("metrics.json"), RUNBOOK.replace("@STORE@", store.toString()));
    server = ContractServers.onFreePorts(ContractServers::javaTestServer, dir.resolve("server"));
    String queue = "drctl-metrics-" + UUID.randomUUID().toString().substring(0, 8);
    int metricsPort = FreePorts.any();
    worker =
        WorkerProcess.start(
            dir.resolve("worker.log"),
            Map.of(),
            "--address",
            server.address(),
            "--task-queue",
            queue,
            "--runbook",
            runbook.toString(),
            "--metrics-port",
            String.valueOf(metricsPort),
            "--backup-metrics-interval",
            "1s");

    String drill = "metrics-drill-" + UUID.randomUUID().toString().substring(0, 8);
    String broken = "metrics-broken-" + UUID.randomUUID().toString().substring(0, 8);
    Path workdir = Files.createDirectories(dir.resolve("work"));
    CliRun drillStarted =
        CliRun.of(
            "start",
            "metrics_drill",
            "-r",
            runbook.toString(),
            "--address",
            server.address(),
            "--task-queue",
            queue,
            "--id",
            drill,
            "--input",
            "workdir=" + workdir,
            "--by",
            "metrics-test");
    assertThat(drillStarted.exitCode()).as(drillStarted.err()).isZero();
    CliRun brokenStarted =
        CliRun.of(
            "start",
            "metrics_broken",
            "-r",
            runbook.toString(),
            "--address",
            server.address(),
            "--task-queue",
            queue,
            "--id",
            broken,
            "--by",
            "metrics-test");
    assertThat(brokenStarted.exitCode()).as(brokenStarted.err()).isZero();
    IncidentReport succeeded;
    try (TemporalConnection client =
        TemporalConnection.open(TemporalSettings.plaintext(server.address(), "default", queue))) {
      succeeded =
          client
              .client()
              .newUntypedWorkflowStub(drill)
              .getResult(60, TimeUnit.SECONDS, IncidentReport.class);
      try {
        client
            .client()
            .newUntypedWorkflowStub(broken)
            .getResult(60, TimeUnit.SECONDS, IncidentReport.class);
        throw new AssertionError("the broken incident succeeded");
      } catch (WorkflowFailedException expected) {
        assertThat(((ApplicationFailure) expected.getCause()).getType())
            .isEqualTo("IncidentFailed");
      }
    }
    assertThat(succeeded.steps())
        .extracting(IncidentReport.StepReport::status)
        .containsExactly("succeeded", "succeeded");

    // The SDK's tally scope reports every second; wait until its counters are in.
    Exposition[] scraped = new Exposition[1];
    ContractServers.await(
        () -> {
          scraped[0] = Exposition.parse(scrape(metricsPort));
          return new CliRun(
              0, scraped[0].hasSeriesStartingWith("temporal_workflow_completed") ? "in" : "", "");
        },
        "in"::equals,
        Duration.ofSeconds(30));
    Exposition metrics = scraped[0];

    assertThat(
            metrics.value("drctl_incidents_total", "type", "metrics_drill", "outcome", "succeeded"))
        .hasValue(1.0);
    assertThat(
            metrics.value("drctl_incidents_total", "type", "metrics_broken", "outcome", "failed"))
        .hasValue(1.0);
    assertThat(metrics.find("drctl_incidents_total")).hasSize(2);
    assertThat(
            metrics.value(
                "drctl_incident_duration_seconds_count",
                "type",
                "metrics_drill",
                "outcome",
                "succeeded",
                "rto_met",
                "true"))
        .hasValue(1.0);
    assertThat(metrics.value("drctl_incident_duration_seconds_sum", "type", "metrics_drill"))
        .hasValue((double) succeeded.durationSeconds());
    assertThat(
            metrics.value(
                "drctl_incident_duration_seconds_bucket", "type", "metrics_drill", "le", "60.0"))
        .hasValue(1.0);
    assertThat(metrics.value("drctl_incident_rto_objective_seconds", "type", "metrics_drill"))
        .hasValue(600.0);
    assertThat(metrics.value("drctl_incident_rto_objective_seconds", "type", "metrics_broken"))
        .hasValue(300.0);
    assertThat(metrics.value("drctl_incident_rpo_objective_seconds", "type", "metrics_drill"))
        .hasValue(900.0);
    assertThat(metrics.find("drctl_rpo_lost_seconds")).as("no step measured data loss").isEmpty();

    assertThat(
            metrics.value(
                "drctl_step_attempts_total",
                "type",
                "metrics_drill",
                "step",
                "flaky",
                "action",
                "shell.exec",
                "outcome",
                "failed"))
        .hasValue(1.0);
    assertThat(
            metrics.value(
                "drctl_step_attempts_total",
                "type",
                "metrics_drill",
                "step",
                "flaky",
                "action",
                "shell.exec",
                "outcome",
                "succeeded"))
        .hasValue(1.0);
    assertThat(
            metrics.value(
                "drctl_step_attempts_total",
                "type",
                "metrics_drill",
                "step",
                "pick",
                "action",
                "backup.select",
                "outcome",
                "succeeded"))
        .hasValue(1.0);
    assertThat(
            metrics.value(
                "drctl_step_attempts_total",
                "type",
                "metrics_broken",
                "step",
                "fail",
                "outcome",
                "failed"))
        .hasValue(1.0);

    double now = Instant.now().toEpochMilli() / 1000.0;
    String[] postgres = {"target", "backups", "service", "postgresql"};
    assertThat(metrics.value("drctl_backup_age_seconds", postgres).orElseThrow())
        .isCloseTo(now - newestTaken.toEpochMilli() / 1000.0, within(120.0));
    assertThat(metrics.value("drctl_backup_size_bytes", postgres))
        .hasValue((double) newest.sizeBytes());
    assertThat(metrics.value("drctl_backup_last_verified_timestamp", postgres).orElseThrow())
        .isCloseTo(newest.verifiedAt().toEpochMilli() / 1000.0, within(0.01));
    assertThat(metrics.value("drctl_restore_test_age_seconds", postgres).orElseThrow())
        .isCloseTo(now - older.verifiedAt().toEpochMilli() / 1000.0, within(60.0));
    assertThat(metrics.find("drctl_backup_catalog_read_failures_total")).isEmpty();

    assertThat(metrics.find("temporal_workflow_completed_total", "workflow_type", "metrics_drill"))
        .isNotEmpty();
    assertThat(metrics.find("jvm_memory_used_bytes", "area", "heap")).isNotEmpty();
    assertThat(metrics.find("jvm_threads_live_threads")).isNotEmpty();
    assertThat(metrics.hasSeriesStartingWith("jvm_gc_")).isTrue();
    assertThat(metrics.find("process_uptime_seconds")).isNotEmpty();
    assertThat(metrics.find("process_cpu_usage")).isNotEmpty();
  }

  private static BackupRequest backup(String id, Instant taken) {
    return BackupRequest.of("postgresql", BackupType.DAILY, "dump")
        .withBackupId(id)
        .withTimestamp(taken);
  }

  private static String scrape(int port) {
    try {
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      return response.body();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
