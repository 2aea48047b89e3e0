package io.drctl.worker.e2e;

import static io.drctl.worker.e2e.E2eHarness.describe;
import static io.drctl.worker.e2e.E2eHarness.ranInOrder;
import static io.drctl.worker.e2e.E2eHarness.stepReport;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drctl.sandbox.Dataset;
import io.drctl.sandbox.Role;
import io.drctl.sandbox.SandboxLayout;
import io.drctl.workflow.IncidentReport;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Issue 15, the seed's scenarios 2A and 2C as the runbook has them, never run end to end before:
 * {@code database_corruption_running} (the primary still running with bad data: point-in-time
 * recovery of the primary itself from the last base backup and the archived WAL) and {@code
 * database_disk_corruption} (a corrupted data file: the primary's volume replaced and the dump
 * restored onto the new one), against a test sandbox ({@value #SANDBOX}, ports 29580-29599), a
 * local store, a Temporal server and a worker in its own JVM. Both are approved through the CLI.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Execution(ExecutionMode.CONCURRENT)
class DatabaseCorruptionTest {
  private static final String SANDBOX = "e2e-dbcorrupt";
  private static final SandboxLayout LAYOUT = SandboxLayout.of(SANDBOX, 29580);
  private static final String QUEUE = "database-corruption-e2e";
  private static final String LEDGER = "e2e_ledger";
  private static final int ROWS = 5;
  private static final int TARGET_ROW = 3;

  @RegisterExtension
  static final E2eSandbox E2E = E2eSandbox.forEachClass(LAYOUT, QUEUE).broughtUp();

  @Test
  @Execution(ExecutionMode.SAME_THREAD)
  @Order(1)
  void corruptionOnARunningPrimaryIsUndoneByRecoveringThePrimaryToTheLastGoodMoment()
      throws Exception {
    try (Connection connection = E2E.sandbox().primary();
        Statement statement = connection.createStatement()) {
      statement.execute("create table " + LEDGER + "(id int primary key, amount int not null)");
    }
    String base = backup(List.of("pg_base", "verify_base"), "pg_base");
    List<String> committedAt = commitOneByOne();
    String until = committedAt.get(TARGET_ROW - 1);
    try (Connection connection = E2E.sandbox().primary();
        Statement statement = connection.createStatement()) {
      statement.execute(
          "update " + LEDGER + " set amount = -amount"); // the bad migration, after until
    }
    E2eHarness.archiveIntoStore(E2E.sandbox(), E2E.docker(), E2E.store());

    String id = "corruption-running-" + System.nanoTime();
    start(id, "database_corruption_running", "-i", "until=" + until);
    approve(id);
    IncidentReport report = E2E.harness().result(id, Duration.ofSeconds(300));

    assertThat(report.outcome()).as(describe(report)).isEqualTo("succeeded");
    assertThat(ranInOrder(report))
        .containsExactly(
            "announce",
            "archive",
            "pick_base",
            "approve",
            "stop_backend",
            "safety",
            "pitr",
            "verify",
            "start_backend",
            "health",
            "base_backup",
            "resolved");
    assertThat(stepReport(report, "pick_base").output().path("backupId").asText()).isEqualTo(base);
    assertThat(stepReport(report, "pitr").output().path("walSegmentsReplayed").asInt())
        .isPositive();
    assertThat(ledger())
        .as("the rows committed before %s, as they were", until)
        .containsExactly("1|100", "2|200");
    try (Connection connection = E2E.sandbox().primary()) {
      assertThat(Dataset.verify(connection).mismatches()).isEmpty();
    }
    assertThat(stepReport(report, "health").output().path("status").asInt()).isEqualTo(200);
  }

  @Test
  @Execution(ExecutionMode.SAME_THREAD)
  @Order(2)
  void aCorruptedDataFileIsReplacedByANewVolumeAndTheDumpRestoredOntoIt() throws Exception {
    String dump = backup(List.of("pg_dump", "verify_dump"), "pg_dump");
    corruptTheUsersTable();
    assertThatThrownBy(() -> count("users"))
        .as("the corruption shows")
        .isInstanceOf(SQLException.class);

    String id = "disk-corruption-" + System.nanoTime();
    start(id, "database_disk_corruption", "-i", "from=" + dump);
    approve(id);
    IncidentReport report = E2E.harness().result(id, Duration.ofSeconds(300));

    assertThat(report.outcome()).as(describe(report)).isEqualTo("succeeded");
    assertThat(ranInOrder(report))
        .containsExactly(
            "announce",
            "errors",
            "pick",
            "safety",
            "approve",
            "stop_backend",
            "remove_volume",
            "start_db",
            "restore",
            "verify",
            "start_backend",
            "health",
            "base_backup",
            "resolved");
    assertThat(stepReport(report, "pick").output().path("backupId").asText()).isEqualTo(dump);
    assertThat(stepReport(report, "verify").output().path("ok").asBoolean()).isTrue();
    try (Connection connection = E2E.sandbox().primary()) {
      assertThat(Dataset.verify(connection).mismatches()).as("the dataset, whole again").isEmpty();
    }
    assertThat(ledger()).containsExactly("1|100", "2|200");
    assertThat(E2E.delivered(Role.SLACK))
        .anySatisfy(
            body ->
                assertThat(body).contains("pg-primary restored onto a new volume from " + dump));
  }

  /**
   * Stops the primary, overwrites the first page of the users table's file on its volume with
   * garbage (a zero page would pass as new), and starts it again: reading users then fails.
   */
  private void corruptTheUsersTable() throws Exception {
    String relation;
    try (Connection connection = E2E.sandbox().primary();
        Statement statement = connection.createStatement();
        ResultSet path = statement.executeQuery("select pg_relation_filepath('users')")) {
      path.next();
      relation = path.getString(1);
    }
    String container = LAYOUT.container(Role.PRIMARY);
    E2E.docker().stopContainerCmd(container).withTimeout(30).exec();
    Path volume =
        Path.of(E2E.docker().inspectVolumeCmd(LAYOUT.primaryVolume()).exec().getMountpoint());
    byte[] garbage = new byte[8192];
    Arrays.fill(garbage, (byte) 0x7f);
    try (RandomAccessFile file = new RandomAccessFile(volume.resolve(relation).toFile(), "rw")) {
      file.seek(0);
      file.write(garbage);
    }
    E2E.docker().startContainerCmd(container).exec();
    io.drctl.testing.Await.awaitTrue(
        () -> {
          try (Connection connection = E2E.sandbox().primary()) {
            return true;
          } catch (SQLException e) {
            return false;
          }
        },
        Duration.ofSeconds(60),
        "the primary to accept connections again");
  }

  /** A backup through the runbook's backup_weekly steps {@code steps}; the id {@code step} made. */
  private String backup(List<String> steps, String step) throws Exception {
    Path runbook =
        E2eHarness.writeCutRunbook(
            E2E.dir().resolve("backup-" + step + ".json"), "backup_weekly", steps);
    String id = "backup-" + step.replace('_', '-') + "-" + System.nanoTime();
    E2eHarness.Cli started =
        E2E.harness()
            .cli(
                "start",
                "backup_weekly",
                "-r",
                runbook.toString(),
                "-t",
                E2E.targets().toString(),
                "--id",
                id,
                "--by",
                "e2e-test");
    assertThat(started.exitCode()).as(started.text()).isZero();
    IncidentReport report = E2E.harness().result(id, Duration.ofSeconds(180));
    assertThat(report.outcome()).as(describe(report)).isEqualTo("succeeded");
    return stepReport(report, step).output().path("backupId").asText();
  }

  private void start(String id, String type, String... inputs) throws Exception {
    List<String> arguments =
        new ArrayList<>(
            List.of(
                "start",
                type,
                "-r",
                E2eHarness.RUNBOOK.toString(),
                "-t",
                E2E.targets().toString(),
                "--id",
                id,
                "--by",
                "e2e-test",
                "--reason",
                type + " drill"));
    arguments.addAll(List.of(inputs));
    E2eHarness.Cli started = E2E.harness().cli(arguments.toArray(String[]::new));
    assertThat(started.exitCode()).as(started.text()).isZero();
  }

  private void approve(String id) throws Exception {
    E2E.harness()
        .awaitProgress(
            id,
            progress ->
                progress.steps().stream()
                    .anyMatch(
                        step ->
                            step.id().equals("approve")
                                && step.status().equals("waiting-approval")),
            "the approval");
    E2eHarness.Cli approved =
        E2E.harness().cli("approve", id, "--reason", "go", "--by", "e2e-operator");
    assertThat(approved.exitCode()).as(approved.text()).isZero();
  }

  /** Commits {@value #ROWS} rows one by one; each one's commit time (UTC, microseconds). */
  private List<String> commitOneByOne() throws Exception {
    List<String> times = new ArrayList<>();
    try (Connection connection = E2E.sandbox().primary()) {
      connection.setAutoCommit(true);
      for (int i = 1; i <= ROWS; i++) {
        try (PreparedStatement insert =
            connection.prepareStatement("insert into " + LEDGER + " values (?, ?)")) {
          insert.setInt(1, i);
          insert.setInt(2, i * 100);
          insert.executeUpdate();
        }
        try (PreparedStatement query =
            connection.prepareStatement(
                "select to_char(pg_xact_commit_timestamp(xmin)"
                    + " at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') from "
                    + LEDGER
                    + " where id = ?")) {
          query.setInt(1, i);
          try (ResultSet result = query.executeQuery()) {
            result.next();
            times.add(result.getString(1));
          }
        }
      }
    }
    return times;
  }

  private List<String> ledger() throws Exception {
    List<String> rows = new ArrayList<>();
    try (Connection connection = E2E.sandbox().primary();
        Statement statement = connection.createStatement();
        ResultSet result =
            statement.executeQuery("select id, amount from " + LEDGER + " order by id")) {
      while (result.next()) {
        rows.add(result.getInt(1) + "|" + result.getInt(2));
      }
    }
    return rows;
  }

  private long count(String table) throws Exception {
    try (Connection connection = E2E.sandbox().primary();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("select count(*) from " + table)) {
      rows.next();
      return rows.getLong(1);
    }
  }
}
