package io.drctl.worker.e2e;

import static io.drctl.worker.e2e.E2eHarness.describe;
import static io.drctl.worker.e2e.E2eHarness.ranInOrder;
import static io.drctl.worker.e2e.E2eHarness.step;
import static io.drctl.worker.e2e.E2eHarness.stepReport;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.drctl.sandbox.Dataset;
import io.drctl.sandbox.Role;
import io.drctl.sandbox.Sandbox;
import io.drctl.sandbox.SandboxLayout;
import io.drctl.workflow.IncidentReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 6, "Full restore" and "Corrupt backup": the {@code database_failure} incident of {@code
 * runbooks/dr-runbook.json} (scenario 2B/2C), as the runbook has it, against real containers. A
 * test sandbox ({@value #SANDBOX}, ports 29320-29339), a local backup store in a temporary
 * directory as the runbook's {@code backups-local}, a Temporal server and a worker in its own JVM
 * ({@link E2eHarness}). Backups are taken by the runbook's own {@code backup_weekly} PostgreSQL
 * steps (its Redis and S3 steps left out: the sandbox has no S3), started through the CLI; then the
 * primary's container and data volume are removed and an empty primary is created in their place
 * (seed 2C: "docker-compose up -d postgres" on a lost volume), and the operator starts the incident
 * and approves the restore through the CLI.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DatabaseFailureTest {
  private static final String SANDBOX = "e2e-db";
  private static final SandboxLayout LAYOUT = SandboxLayout.of(SANDBOX, 29320);
  private static final String QUEUE = "database-failure-e2e";
  private static final String INCIDENT = "database_failure";
  private static final String BACKUP_INCIDENT = "backup_weekly";

  /** The PostgreSQL steps of backup_weekly: dump and base backup, each verified. */
  private static final List<String> BACKUP_STEPS =
      List.of("pg_dump", "pg_base", "verify_dump", "verify_base");

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @RegisterExtension static final E2eSandbox E2E = E2eSandbox.forEachClass(LAYOUT, QUEUE);
  private Path backupRunbook;

  @BeforeAll
  void startServerAndWorker() throws Exception {
    backupRunbook =
        E2eHarness.writeCutRunbook(
            E2E.dir().resolve("backup-runbook.json"), BACKUP_INCIDENT, BACKUP_STEPS);
  }

  @Test
  @Order(1)
  void aLostPrimaryVolumeIsRestoredFromTheLatestWeeklyBackupAndMatchesItsRowCountsAndFingerprints()
      throws Exception {
    List<Dataset.ManifestEntry> manifest = freshSandbox();
    String dumpId = backup("first").dump();
    JsonNode metadata = metadata(dumpId);
    for (Dataset.ManifestEntry entry : manifest) {
      assertThat(
              metadata
                  .path("fingerprints")
                  .path("public." + entry.table())
                  .path("row_count")
                  .asLong())
          .as("the dump recorded the row count of " + entry.table())
          .isEqualTo(entry.rows());
    }

    loseThePrimary();

    String id = "dbf-full-" + System.nanoTime();
    IncidentReport report = runIncident(id);
    assertThat(report.outcome()).as(describe(report)).isEqualTo("succeeded");
    assertThat(ranInOrder(report))
        .containsExactly(
            "announce",
            "probe",
            "logs",
            "pick",
            "approve",
            "stop_backend",
            "safety",
            "restore",
            "verify",
            "restart_backend",
            "health",
            "base_backup",
            "resolved");
    assertThat(stepReport(report, "pitr").status()).isEqualTo("skipped");
    // The restore made a new database system: without a base backup of it, no later point-in-time
    // recovery could reach what is written from now on.
    assertThat(stepReport(report, "base_backup").output().path("backupId").asText()).isNotEmpty();
    assertThat(stepReport(report, "pick").output().path("backupId").asText()).isEqualTo(dumpId);
    assertThat(stepReport(report, "restore").status()).isEqualTo("succeeded");
    assertThat(stepReport(report, "restore").output().path("backupId").asText()).isEqualTo(dumpId);
    assertThat(stepReport(report, "restore").output().path("rows").asLong())
        .isEqualTo(
            metadata.path("fingerprints").properties().stream()
                .mapToLong(table -> table.getValue().path("row_count").asLong())
                .sum());
    JsonNode verified = stepReport(report, "verify").output();
    assertThat(verified.path("ok").asBoolean()).as(verified.toString()).isTrue();
    assertThat(verified.path("tablesChecked").asInt())
        .as(verified.toString())
        .isEqualTo(metadata.path("fingerprints").size())
        .isGreaterThanOrEqualTo(manifest.size());
    assertThat(verified.path("rowCountMismatches").asInt()).isZero();
    assertThat(verified.path("fingerprintMismatches").asInt()).isZero();
    assertThat(verified.path("queriesFailed").asInt()).isZero();
    assertThat(stepReport(report, "health").output().path("status").asInt()).isEqualTo(200);
    assertDatasetIntact(manifest);
    assertThat(E2E.delivered(Role.SLACK))
        .anySatisfy(body -> assertThat(body).contains("PostgreSQL recovered from " + dumpId));
    assertTheHtmlReportShowsTheTimelineAndTheApproval(id, report);
  }

  /**
   * Issue 14: the auditor's report of this incident, {@code drctl report --format html}, built from
   * its history, opened offline in headless Chromium: one timeline bar per step that ran, in order,
   * the approval with who and why, the backup restored, and no request to the network.
   */
  private void assertTheHtmlReportShowsTheTimelineAndTheApproval(String id, IncidentReport report)
      throws Exception {
    io.drctl.worker.ui.UiTestTools tools = io.drctl.worker.ui.UiTestTools.findOrSkip();
    Path file = E2E.dir().resolve(id + ".html");
    E2eHarness.Cli written =
        E2E.harness().cli("report", id, "--format", "html", "--output", file.toString());
    assertThat(written.exitCode()).as(written.text()).isZero();
    Path screenshots = Path.of("target", "report-screenshots", "database-failure");
    Files.createDirectories(screenshots);
    JsonNode seen =
        io.drctl.worker.ui.PlaywrightScript.run(
            tools,
            Path.of("src/test/ui/report-html.js"),
            JSON.createObjectNode()
                .put("file", file.toString())
                .put("screenshotDir", screenshots.toAbsolutePath().toString()),
            screenshots,
            Duration.ofMinutes(2));

    assertThat(seen.path("requests"))
        .as("a self-contained page asks the network for nothing")
        .isEmpty();
    assertThat(seen.path("h1").asText()).contains(id);
    // The lifecycle notifications (no step of the runbook's) have bars of their own, named by
    // action.
    assertThat(seen.path("bars").findValuesAsText("step"))
        .filteredOn(step -> !step.equals("notify.send"))
        .containsExactlyInAnyOrderElementsOf(ranInOrder(report));
    assertThat(seen.path("bars").findValuesAsText("status")).containsOnly("succeeded");
    assertThat(seen.path("actions").toString()).contains("e2e-operator").contains("restore it");
    assertThat(seen.path("backups").asText())
        .contains(stepReport(report, "restore").output().path("backupId").asText());
  }

  @Test
  @Order(2)
  void aCorruptLatestBackupIsMarkedCorruptAndTheIncidentRecoversByPointInTimeRecovery()
      throws Exception {
    List<Dataset.ManifestEntry> manifest = freshSandbox();
    String older = backup("older").dump();
    Thread.sleep(1100); // backup ids have a resolution of one second
    Backups newest = backup("latest");
    String latest = newest.dump();
    assertThat(latest).isNotEqualTo(older);
    // A write after the last dump: only the WAL archive holds it.
    try (Connection connection = E2E.sandbox().primary();
        Statement statement = connection.createStatement()) {
      statement.execute("create table e2e_after_backups(note text)");
      statement.execute("insert into e2e_after_backups values ('written after the latest dump')");
    }
    archiveIntoStore();

    E2eSandbox.flipAByte(E2E.dataFile(latest));
    loseThePrimary();

    String id = "dbf-corrupt-" + System.nanoTime();
    IncidentReport report = runIncident(id);
    assertThat(report.outcome()).as(describe(report)).isEqualTo("succeeded");
    assertThat(ranInOrder(report))
        .containsExactly(
            "announce",
            "probe",
            "logs",
            "pick",
            "approve",
            "stop_backend",
            "safety",
            "restore",
            "pitr",
            "verify",
            "restart_backend",
            "health",
            "base_backup",
            "resolved");
    assertThat(stepReport(report, "pick").output().path("backupId").asText()).isEqualTo(latest);
    assertThat(stepReport(report, "restore").status()).isEqualTo("recovered");
    assertThat(stepReport(report, "restore").attempts())
        .as("BackupCorrupt is not retried")
        .isEqualTo(1);
    assertThat(stepReport(report, "restore").error()).contains(latest).contains("is corrupt");
    assertThat(stepReport(report, "pitr").status()).isEqualTo("succeeded");
    assertThat(stepReport(report, "pitr").output().path("baseBackupId").asText())
        .as("the newest scheduled base backup, not the pre-restore safety copy")
        .isEqualTo(newest.base());
    assertThat(stepReport(report, "pitr").output().path("walSegmentsReplayed").asInt())
        .isPositive();
    JsonNode verified = stepReport(report, "verify").output();
    assertThat(verified.path("ok").asBoolean()).as(verified.toString()).isTrue();
    assertThat(verified.path("tablesChecked").asInt())
        .as("no dump to compare with after PITR")
        .isZero();
    assertThat(stepReport(report, "health").output().path("status").asInt()).isEqualTo(200);

    assertThat(metadata(latest).path("restorability").asText()).isEqualTo("CORRUPT");
    assertThat(metadata(older).path("restorability").asText()).isNotEqualTo("CORRUPT");
    assertDatasetIntact(manifest);
    try (Connection connection = E2E.sandbox().primary();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("select note from e2e_after_backups")) {
      assertThat(rows.next())
          .as("the write after the last dump came back from the WAL archive")
          .isTrue();
      assertThat(rows.getString(1)).isEqualTo("written after the latest dump");
    }
  }

  /**
   * Issue 13, end to end: Alertmanager's webhook for {@code PostgresDown} on the lost primary,
   * posted to {@code drctl receiver} in its own JVM, starts {@code database_failure} as {@code
   * database_failure/pg-primary} through the runbook's {@code postgres-down} route; a repeat of the
   * alert is signalled to the same incident. Its report names the alert and counts the RTO from the
   * alert's {@code startsAt}.
   */
  @Test
  @Order(3)
  void aPostgresDownAlertThroughTheReceiverStartsTheRecoveryAndItsRtoCountsFromTheAlert()
      throws Exception {
    List<Dataset.ManifestEntry> manifest = freshSandbox();
    String dumpId = backup("alerted").dump();
    loseThePrimary();
    String token = "alert-token-" + System.nanoTime();
    int port = io.drctl.testing.FreePorts.any();
    E2E.harness().startReceiver(port, token);
    java.time.Instant startsAt =
        java.time.Instant.now()
            .minusSeconds(120)
            .truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    String fingerprint = "e2e" + Long.toHexString(System.nanoTime());
    String body =
        """
        {"version": "4", "groupKey": "{}:{alertname=PostgresDown}", "status": "firing", "receiver": "drctl",
         "alerts": [{"status": "firing", "labels": {"alertname": "PostgresDown", "service": "postgres", "severity": "critical"},
                     "annotations": {"summary": "pg-primary is not answering"},
                     "startsAt": "%s", "fingerprint": "%s"}]}
        """
            .formatted(startsAt, fingerprint);
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    java.net.http.HttpRequest post =
        java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + port + "/alerts/alertmanager"))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body))
            .build();

    var first = http.send(post, java.net.http.HttpResponse.BodyHandlers.ofString());
    var repeat = http.send(post, java.net.http.HttpResponse.BodyHandlers.ofString());

    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    assertThat(first.body()).contains("database_failure/pg-primary");
    assertThat(repeat.statusCode()).as(repeat.body()).isEqualTo(200);
    String id = "database_failure/pg-primary";
    E2E.harness()
        .awaitProgress(
            id,
            progress -> step(progress, "approve").status().equals("waiting-approval"),
            "the restore approval");
    E2eHarness.Cli approved =
        E2E.harness().cli("approve", id, "--reason", "restore it", "--by", "e2e-operator");
    assertThat(approved.exitCode()).as(approved.text()).isZero();
    IncidentReport report = E2E.harness().result(id, Duration.ofSeconds(150));

    assertThat(report.outcome()).as(describe(report)).isEqualTo("succeeded");
    assertThat(stepReport(report, "restore").output().path("backupId").asText()).isEqualTo(dumpId);
    assertThat(report.trigger()).isNotNull();
    assertThat(report.trigger().source()).isEqualTo("alertmanager");
    assertThat(report.trigger().labels())
        .containsEntry("alertname", "PostgresDown")
        .containsEntry("service", "postgres");
    assertThat(report.trigger().fingerprint()).isEqualTo(fingerprint);
    assertThat(report.trigger().startsAt()).isEqualTo(startsAt.toString());
    assertThat(report.alerts().received())
        .as("the repeat was signalled to the same incident")
        .isEqualTo(2);
    assertThat(java.time.Instant.parse(report.detectedAt())).isEqualTo(startsAt);
    long sinceStart =
        java.time.Duration.between(
                java.time.Instant.parse(report.startedAt()),
                java.time.Instant.parse(report.endedAt()))
            .toSeconds();
    assertThat(report.durationSeconds())
        .as("the RTO counts from startsAt, 120 s before the post")
        .isGreaterThanOrEqualTo(sinceStart + 119);
    E2eHarness.Cli audit = E2E.harness().cli("report", id, "--format", "md");
    assertThat(audit.exitCode()).as(audit.text()).isZero();
    assertThat(audit.out())
        .contains("PostgresDown")
        .contains(fingerprint)
        .contains("from the alert's startsAt " + report.detectedAt());
    assertDatasetIntact(manifest);
  }

  /** A new sandbox at scale 1 with an empty store; its dataset's manifest. */
  private List<Dataset.ManifestEntry> freshSandbox() throws IOException {
    E2E.sandbox().down();
    deleteContents(E2E.store());
    return E2E.sandbox()
        .up(new Sandbox.UpOptions(1, E2E.dir().resolve("sandbox.targets.json")))
        .manifest();
  }

  /** The ids of one backup_weekly run's dump and base backup. */
  private record Backups(String dump, String base) {}

  /** Runs the runbook's backup_weekly PostgreSQL steps through the CLI. */
  private Backups backup(String label) throws Exception {
    String id = "dbf-backup-" + label + "-" + System.nanoTime();
    E2eHarness.Cli started =
        E2E.harness()
            .cli(
                "start",
                BACKUP_INCIDENT,
                "-r",
                backupRunbook.toString(),
                "-t",
                E2E.targets().toString(),
                "--id",
                id,
                "--by",
                "e2e-test");
    assertThat(started.exitCode()).as(started.text()).isZero();
    IncidentReport report = E2E.harness().result(id, Duration.ofSeconds(90));
    assertThat(report.outcome()).as(describe(report)).isEqualTo("succeeded");
    assertThat(ranInOrder(report)).containsExactlyInAnyOrderElementsOf(BACKUP_STEPS);
    return new Backups(
        stepReport(report, "pg_dump").output().path("backupId").asText(),
        stepReport(report, "pg_base").output().path("backupId").asText());
  }

  /**
   * Seed 2C: the primary's container and its data volume are gone, and "docker-compose up -d
   * postgres" made a fresh one: a new cluster whose only trace of the application is the empty
   * {@code thebot_db} its image creates (the seed's compose file sets POSTGRES_DB; the sandbox
   * image does not, so the test creates it). The replica, now following nothing, is left alone: the
   * incident does not use it.
   */
  private void loseThePrimary() throws Exception {
    E2E.loseThePrimary();
    try (Connection connection = E2E.sandbox().primary();
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery("select count(*) from pg_tables where schemaname = 'public'")) {
      rows.next();
      assertThat(rows.getInt(1))
          .as("tables in the new primary's " + SandboxLayout.DATABASE)
          .isZero();
    }
  }

  /** Starts database_failure, approves the restore when asked, and returns its report. */
  private IncidentReport runIncident(String id) throws Exception {
    E2eHarness.Cli started =
        E2E.harness()
            .cli(
                "start",
                INCIDENT,
                "-r",
                E2eHarness.RUNBOOK.toString(),
                "-t",
                E2E.targets().toString(),
                "--id",
                id,
                "--by",
                "e2e-test",
                "--reason",
                "primary volume lost");
    assertThat(started.exitCode()).as(started.text()).isZero();
    E2E.harness()
        .awaitProgress(
            id,
            progress -> step(progress, "approve").status().equals("waiting-approval"),
            "the restore approval");
    E2eHarness.Cli approved =
        E2E.harness().cli("approve", id, "--reason", "restore it", "--by", "e2e-operator");
    assertThat(approved.exitCode()).as(approved.text()).isZero();
    return E2E.harness().result(id, Duration.ofSeconds(150));
  }

  /** The data as seeded: every table's row count and checksum equal the sandbox manifest's. */
  private void assertDatasetIntact(List<Dataset.ManifestEntry> manifest) throws SQLException {
    try (Connection connection = E2E.sandbox().primary()) {
      Dataset.Verification verification = Dataset.verify(connection);
      assertThat(verification.mismatches()).as("tables differing from the manifest").isEmpty();
      assertThat(verification.tables()).hasSize(manifest.size());
      assertThat(verification.ok()).isTrue();
    }
  }

  private void archiveIntoStore() throws Exception {
    E2eHarness.archiveIntoStore(E2E.sandbox(), E2E.docker(), E2E.store());
  }

  private JsonNode metadata(String backupId) throws IOException {
    return E2E.metadata(backupId);
  }

  private static void deleteContents(Path directory) throws IOException {
    List<Path> all = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(directory)) {
      walk.filter(path -> !path.equals(directory)).forEach(all::add);
    }
    for (int i = all.size() - 1; i >= 0; i--) {
      Files.delete(all.get(i));
    }
  }
}
