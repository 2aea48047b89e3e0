package io.drctl.worker.e2e;

import static io.drctl.testing.Await.awaitTrue;
import static io.drctl.worker.e2e.E2eHarness.describe;
import static io.drctl.worker.e2e.E2eHarness.ranInOrder;
import static io.drctl.worker.e2e.E2eHarness.step;
import static io.drctl.worker.e2e.E2eHarness.stepReport;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.drctl.sandbox.Dataset;
import io.drctl.sandbox.Role;
import io.drctl.sandbox.Sandbox;
import io.drctl.sandbox.SandboxLayout;
import io.drctl.workflow.IncidentReport;
import io.temporal.api.enums.v1.TimeoutType;
import io.temporal.api.history.v1.ActivityTaskStartedEventAttributes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Issue 6, "A crashed restore": the {@code database_failure} incident of {@code
 * runbooks/dr-runbook.json} with its worker JVM killed by SIGKILL while pg_restore is writing into
 * the scratch database, and a new worker JVM finishing the incident through the restore step's
 * retry. A test sandbox ({@value #SANDBOX}, ports 29340-29359) at scale {@value #SCALE}, so that
 * pg_restore runs for several seconds; backups taken by the runbook's own backup_weekly PostgreSQL
 * steps, the primary's volume lost, the incident started and approved through the CLI ({@link
 * E2eHarness}, as in {@link DatabaseFailureTest}).
 *
 * <p>The runbook is used as it is but for the restore step's heartbeat timeout, cut from the
 * default minute to {@value #RESTORE_HEARTBEAT}, and its retry interval, cut to a second, so that
 * the server notices the dead worker and the retry starts while the orphaned pg_restore of the
 * killed attempt (a JVM killed with SIGKILL does not take its children along) may still be writing
 * into the scratch database: the retry must cope with it, not merely with what it left.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Execution(ExecutionMode.CONCURRENT)
class CrashedRestoreTest {
  private static final String SANDBOX = "e2e-crash";
  private static final SandboxLayout LAYOUT = SandboxLayout.of(SANDBOX, 29340);
  private static final int SCALE = 15;
  private static final String RESTORE_HEARTBEAT = "6s";
  private static final String QUEUE = "crashed-restore-e2e";
  private static final String INCIDENT = "database_failure";
  private static final String BACKUP_INCIDENT = "backup_weekly";
  private static final List<String> BACKUP_STEPS =
      List.of("pg_dump", "pg_base", "verify_dump", "verify_base");

  /**
   * What every attempt's scratch database is named after ({@code <db>_drctl_restoring_<random>}).
   */
  private static final String SCRATCH = SandboxLayout.DATABASE + "_drctl_restoring";

  private static final String SCRATCH_LIKE =
      SandboxLayout.DATABASE.replace("_", "\\_") + "\\_drctl\\_restoring%";
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @RegisterExtension static final E2eSandbox E2E = E2eSandbox.forEachClass(LAYOUT, QUEUE);
  private Path runbook;
  private final List<ProcessHandle> killedRestores = new ArrayList<>();

  @BeforeAll
  void startServerAndWorker() throws Exception {
    runbook = writeRunbook();
  }

  @AfterAll
  void stopEverything() throws Exception {
    killedRestores.forEach(
        ProcessHandle::destroyForcibly); // only if the test failed before its own check
  }

  @Test
  void
      aWorkerKilledDuringPgRestoreIsRetriedByANewWorkerIntoACompleteDatabaseWithoutDuplicatesOrLeftovers()
          throws Exception {
    long began = System.nanoTime();
    List<Dataset.ManifestEntry> manifest =
        E2E.sandbox()
            .up(new Sandbox.UpOptions(SCALE, E2E.dir().resolve("sandbox.targets.json")))
            .manifest();
    String dumpId = backup();
    log(began, "sandbox at scale " + SCALE + " up and backed up as " + dumpId);
    JsonNode fingerprints = E2E.metadata(dumpId).path("fingerprints");
    E2E.loseThePrimary();

    String id = "crashed-restore-" + System.nanoTime();
    E2eHarness.Cli start =
        E2E.harness()
            .cli(
                "start",
                INCIDENT,
                "-r",
                runbook.toString(),
                "-t",
                E2E.targets().toString(),
                "--id",
                id,
                "--by",
                "e2e-test",
                "--reason",
                "primary volume lost");
    assertThat(start.exitCode()).as(start.text()).isZero();
    E2E.harness()
        .awaitProgress(
            id,
            progress -> step(progress, "approve").status().equals("waiting-approval"),
            "the restore approval");
    E2eHarness.Cli approved =
        E2E.harness().cli("approve", id, "--reason", "restore it", "--by", "e2e-operator");
    assertThat(approved.exitCode()).as(approved.text()).isZero();

    long worker = E2E.harness().workerPid();
    awaitTrue(
        () -> pgRestoreOf(worker) && copyingIntoScratch(),
        Duration.ofSeconds(120),
        "pg_restore, a child of worker " + worker + ", to be copying rows into " + SCRATCH);
    long scratchBytes = scratchSize();
    List<ProcessHandle> killed =
        E2E.harness().killWorker().stream().filter(CrashedRestoreTest::isPgRestore).toList();
    killedRestores.addAll(killed);
    assertThat(killed).as("pg_restore processes of the killed worker").isNotEmpty();
    // Held still until the retry runs, as the pg_restore of a big database would still be busy
    // then.
    signal("STOP", killed);
    boolean orphaned = killed.stream().anyMatch(ProcessHandle::isAlive);
    CompletableFuture<Double> orphansGone =
        when(began, () -> killed.stream().noneMatch(ProcessHandle::isAlive));
    log(
        began,
        "killed worker "
            + worker
            + " with "
            + SCRATCH
            + " at "
            + scratchBytes
            + " bytes; its "
            + killed.size()
            + " pg_restore processes "
            + (orphaned ? "survived as orphans" : "died with it"));
    E2E.harness().startAnotherWorker();
    long retrier = E2E.harness().workerPid();
    CompletableFuture<Double> retryRestoring = when(began, () -> pgRestoreOf(retrier));

    awaitTrue(
        () -> orphansGone.isDone() || retryRestoring.isDone(),
        Duration.ofSeconds(90),
        "the retry to stop the orphans or start its own pg_restore");
    signal("CONT", killed);
    IncidentReport report = E2E.harness().result(id, Duration.ofSeconds(150));
    log(
        began,
        "incident ended: "
            + describe(report)
            + "\n  restore output "
            + stepReport(report, "restore").output()
            + "\n  orphans alive: "
            + killed.stream().filter(ProcessHandle::isAlive).count()
            + ", gone at +"
            + orphansGone.getNow(-1.0)
            + "s; the retry's pg_restore started at +"
            + retryRestoring.getNow(-1.0)
            + "s");
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
    IncidentReport.StepReport restore = stepReport(report, "restore");
    assertThat(restore.status()).isEqualTo("succeeded");
    ActivityTaskStartedEventAttributes started = E2E.harness().lastAttempt(id, "postgres.restore");
    log(
        began,
        "restore attempt "
            + started.getAttempt()
            + " after "
            + started.getLastFailure().getMessage());
    assertThat(started.getAttempt())
        .as("the killed attempt and Temporal's retry of it")
        .isEqualTo(2);
    assertThat(started.getLastFailure().getTimeoutFailureInfo().getTimeoutType())
        .as("what ended the killed attempt: " + started.getLastFailure())
        .isEqualTo(TimeoutType.TIMEOUT_TYPE_HEARTBEAT);
    assertThat(restore.output().path("backupId").asText()).isEqualTo(dumpId);
    JsonNode verified = stepReport(report, "verify").output();
    assertThat(verified.path("ok").asBoolean()).as(verified.toString()).isTrue();
    assertThat(verified.path("tablesChecked").asInt()).isEqualTo(fingerprints.size());
    assertThat(verified.path("rowCountMismatches").asInt()).isZero();
    assertThat(verified.path("fingerprintMismatches").asInt()).isZero();

    assertThat(killed)
        .as("a pg_restore of the killed worker still running")
        .noneMatch(ProcessHandle::isAlive);
    try (Connection connection = E2E.sandbox().primary()) {
      Dataset.Verification verification = Dataset.verify(connection);
      assertThat(verification.mismatches())
          .as("tables differing from the sandbox manifest")
          .isEmpty();
      assertThat(verification.tables()).hasSize(manifest.size());
      for (Dataset.ManifestEntry entry : manifest) {
        String table = entry.table();
        assertThat(single(connection, "select count(*) from " + table))
            .as("rows of " + table)
            .isEqualTo(entry.rows())
            .isEqualTo(fingerprints.path("public." + table).path("row_count").asLong());
        assertThat(single(connection, "select count(*) - count(distinct id) from " + table))
            .as("duplicate ids in " + table)
            .isZero();
      }
    }
    try (Connection connection = admin()) {
      assertThat(databases(connection, SCRATCH_LIKE)).as("scratch databases left").isEmpty();
      assertThat(databases(connection, SandboxLayout.DATABASE + "\\_pre\\_restore\\_%"))
          .as("the new primary's empty database set aside once, by the attempt that finished")
          .hasSize(1);
    }
    assertThat(orphansGone.getNow(Double.MAX_VALUE))
        .as(
            "the orphans (held by SIGSTOP) ended before the retry's pg_restore began: the retry killed them")
        .isLessThanOrEqualTo(retryRestoring.getNow(0.0));
  }

  /**
   * When {@code condition} first holds, in seconds since {@code began}, polled every 50 ms on a
   * thread of its own.
   */
  private static CompletableFuture<Double> when(long began, BooleanSupplier condition) {
    CompletableFuture<Double> seen = new CompletableFuture<>();
    Thread poller =
        new Thread(
            () -> {
              while (!condition.getAsBoolean()) {
                try {
                  Thread.sleep(50);
                } catch (InterruptedException e) {
                  return;
                }
              }
              seen.complete((System.nanoTime() - began) / 1e9);
            },
            "crashed-restore-watch");
    poller.setDaemon(true);
    poller.start();
    return seen;
  }

  /** Sends SIGSTOP or SIGCONT to the processes that are still alive. */
  private static void signal(String signal, List<ProcessHandle> processes) throws Exception {
    List<String> argv = new ArrayList<>(List.of("kill", "-" + signal));
    processes.stream()
        .filter(ProcessHandle::isAlive)
        .forEach(process -> argv.add(String.valueOf(process.pid())));
    if (argv.size() > 2) {
      new ProcessBuilder(argv)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start()
          .waitFor();
    }
  }

  private static void log(long began, String what) {
    System.out.printf("crashed-restore +%.1fs: %s%n", (System.nanoTime() - began) / 1e9, what);
  }

  /** Whether {@code worker} has a pg_restore child. */
  private static boolean pgRestoreOf(long worker) {
    return ProcessHandle.of(worker)
        .map(process -> process.children().anyMatch(CrashedRestoreTest::isPgRestore))
        .orElse(false);
  }

  private static boolean isPgRestore(ProcessHandle process) {
    return process.info().command().map(command -> command.endsWith("/pg_restore")).orElse(false);
  }

  /** Whether pg_restore is in the middle of a COPY into the scratch database. */
  private static boolean copyingIntoScratch() throws SQLException {
    try (Connection connection = admin();
        var statement =
            connection.prepareStatement(
                "select count(*) from pg_stat_activity where datname like ? and application_name = 'pg_restore'"
                    + " and query like 'COPY %'")) {
      statement.setString(1, SCRATCH_LIKE);
      try (ResultSet rows = statement.executeQuery()) {
        rows.next();
        return rows.getLong(1) > 0;
      }
    }
  }

  /** The scratch database's size on disk, as pg_restore fills it. */
  private static long scratchSize() throws SQLException {
    try (Connection connection = admin()) {
      return single(
          connection,
          "select coalesce(sum(pg_database_size(datname)), 0) from pg_database where datname like '"
              + SCRATCH_LIKE
              + "'");
    }
  }

  private static long single(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getLong(1);
    }
  }

  private static List<String> databases(Connection connection, String like) throws SQLException {
    List<String> names = new ArrayList<>();
    try (var statement =
        connection.prepareStatement("select datname from pg_database where datname like ?")) {
      statement.setString(1, like);
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          names.add(rows.getString(1));
        }
      }
    }
    return names;
  }

  /** Runs the runbook's backup_weekly PostgreSQL steps through the CLI; the dump's id. */
  private String backup() throws Exception {
    String id = "crashed-restore-backup-" + System.nanoTime();
    E2eHarness.Cli started =
        E2E.harness()
            .cli(
                "start",
                BACKUP_INCIDENT,
                "-r",
                runbook.toString(),
                "-t",
                E2E.targets().toString(),
                "--id",
                id,
                "--by",
                "e2e-test");
    assertThat(started.exitCode()).as(started.text()).isZero();
    IncidentReport report = E2E.harness().result(id, Duration.ofSeconds(120));
    assertThat(report.outcome()).as(describe(report)).isEqualTo("succeeded");
    return stepReport(report, "pg_dump").output().path("backupId").asText();
  }

  private static Connection admin() throws SQLException {
    return DriverManager.getConnection(
        LAYOUT.jdbcUrl(Role.PRIMARY, "postgres"), SandboxLayout.USER, SandboxLayout.PASSWORD);
  }

  /**
   * The runbook with database_failure (its restore step's heartbeat timeout cut to {@value
   * #RESTORE_HEARTBEAT}) and backup_weekly cut to its PostgreSQL steps; started with {@code drctl
   * start -r}, a plan is pinned, so the worker serving the full runbook runs exactly these.
   */
  private Path writeRunbook() throws IOException {
    ObjectNode full = E2eHarness.runbookToCut();
    ArrayNode incidents = JSON.createArrayNode();
    for (JsonNode node : full.path("incidents")) {
      ObjectNode incident = (ObjectNode) node;
      String type = incident.path("type").asText();
      if (INCIDENT.equals(type)) {
        ObjectNode restore = findStep(incident, "restore");
        restore.put("heartbeat", RESTORE_HEARTBEAT);
        ((ObjectNode) restore.path("retry")).put("initialInterval", "1s");
        incidents.add(incident);
      } else if (BACKUP_INCIDENT.equals(type)) {
        ArrayNode steps = JSON.createArrayNode();
        incident
            .path("steps")
            .forEach(
                step -> {
                  if (BACKUP_STEPS.contains(step.path("id").asText())) {
                    steps.add(step);
                  }
                });
        assertThat(steps).hasSize(BACKUP_STEPS.size());
        incident.set("steps", steps);
        incidents.add(incident);
      }
    }
    assertThat(incidents).hasSize(2);
    full.set("incidents", incidents);
    Path path = E2E.dir().resolve("crashed-restore-runbook.json");
    Files.writeString(path, JSON.writeValueAsString(full));
    return path;
  }

  private static ObjectNode findStep(JsonNode incident, String id) {
    for (JsonNode step : incident.path("steps")) {
      if (id.equals(step.path("id").asText())) {
        return (ObjectNode) step;
      }
    }
    throw new AssertionError("no step " + id + " in " + incident.path("type").asText());
  }
}
