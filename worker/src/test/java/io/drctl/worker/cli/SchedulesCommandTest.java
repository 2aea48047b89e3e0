package io.drctl.worker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.drctl.testing.TemporalCliLocation;
import io.drctl.worker.dev.DevServer;
import io.drctl.worker.temporal.RpcErrors;
import io.drctl.worker.temporal.TemporalConnection;
import io.grpc.Status;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.schedules.Schedule;
import io.temporal.client.schedules.ScheduleActionExecutionStartWorkflow;
import io.temporal.client.schedules.ScheduleActionStartWorkflow;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleDescription;
import io.temporal.client.schedules.ScheduleIntervalSpec;
import io.temporal.client.schedules.ScheduleOptions;
import io.temporal.client.schedules.ScheduleSpec;
import io.temporal.client.schedules.ScheduleState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * {@code drctl schedules sync|list} against the real server, the Temporal CLI's dev server (the
 * Java test server has no Schedules API), with a worker in this JVM serving a cheap stand-in for
 * {@code backup_daily}.
 */
@EnabledIfEnvironmentVariable(named = "DRCTL_TEMPORAL_CLI", matches = ".+")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SchedulesCommandTest {
  private static final Path SEED = Path.of("..", "runbooks", "dr-runbook.json");
  private static final Path STAND_IN = Path.of("src", "test", "resources", "scheduled-backup.json");
  private static final List<String> SEED_IDS =
      List.of(
          "drctl/backup-daily",
          "drctl/backup-weekly",
          "drctl/backup-monthly",
          "drctl/restore-test-weekly",
          "drctl/dr-drill-monthly",
          "drctl/start-of-day-checks");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String taskQueue =
      "drctl-schedules-" + UUID.randomUUID().toString().substring(0, 8);
  private ServerWithWorker running;
  private DevServer server;
  private TemporalConnection connection;
  private ScheduleClient schedules;
  private Path edits;

  @BeforeAll
  void startServerAndWorker() throws Exception {
    Path cli = TemporalCliLocation.expected();
    running =
        ServerWithWorker.start(
            options ->
                DevServer.start(
                    new DevServer.Choice(DevServer.Kind.cli, cli, "test"), options, launched -> {}),
            STAND_IN,
            taskQueue);
    server = running.server();
    connection = running.connection();
    schedules = connection.schedules();
    edits = Files.createTempDirectory("drctl-schedules-");
  }

  @AfterAll
  void stopEverything() throws IOException {
    if (running != null) {
      running.close();
    }
    if (edits != null) {
      try (var files = Files.list(edits)) {
        for (Path file : files.toList()) {
          Files.delete(file);
        }
      }
      Files.delete(edits);
    }
  }

  /**
   * Each test starts from a namespace without the seed's schedules (deleted by id: listing lags).
   */
  @BeforeEach
  void deleteTheSeedsSchedules() {
    for (String id : SEED_IDS) {
      try {
        schedules.getHandle(id).delete();
      } catch (RuntimeException e) {
        if (!RpcErrors.is(e, Status.Code.NOT_FOUND)) {
          throw e;
        }
      }
    }
  }

  @Test
  void syncCreatesTheSeedsSchedulesListShowsThemAndASecondRunChangesNothing() {
    CliRun first = client("schedules", "sync", "-r", SEED.toString());
    assertThat(first.exitCode()).as(first.err()).isZero();
    for (String id : SEED_IDS) {
      assertThat(first.out()).contains("create     " + id);
    }
    assertThat(first.out())
        .contains("backup_daily, cron '0 1 * * *' (UTC)")
        .endsWith("6 created, 0 updated, 0 deleted, 0 unchanged\n");

    ScheduleDescription daily = schedules.getHandle("drctl/backup-daily").describe();
    Instant next = daily.getInfo().getNextActionTimes().get(0);
    assertThat(next.atZone(ZoneId.of("UTC")).toLocalTime()).isEqualTo(java.time.LocalTime.of(1, 0));
    ScheduleActionStartWorkflow action =
        (ScheduleActionStartWorkflow) daily.getSchedule().getAction();
    assertThat(action.getWorkflowType()).isEqualTo("backup_daily");
    assertThat(action.getOptions().getTaskQueue()).isEqualTo(taskQueue);
    assertThat(action.getOptions().getWorkflowId()).isEqualTo("scheduled-backup-daily");

    CliRun second = client("schedules", "sync", "-r", SEED.toString());
    assertThat(second.exitCode()).as(second.err()).isZero();
    assertThat(second.out())
        .doesNotContain("create ")
        .doesNotContain("update ")
        .doesNotContain("delete ")
        .endsWith("0 created, 0 updated, 0 deleted, 6 unchanged\n");

    CliRun list = awaitList(out -> SEED_IDS.stream().allMatch(out::contains));
    assertThat(list.out())
        .contains("backup_daily, cron '0 1 * * *' (UTC)")
        .contains("THE_BOT platform disaster recovery")
        .contains("dr_drill_monthly, cron '0 10 1-7 * TUE' (UTC)")
        .contains(next.toString().replace(".000", ""));
  }

  @Test
  void aChangedCronUpdatesExactlyThatScheduleAndADryRunChangesNothing() throws IOException {
    assertThat(client("schedules", "sync", "-r", SEED.toString()).exitCode()).isZero();
    Path changed = seedWith(root -> schedule(root, "backup-daily").put("cron", "30 1 * * *"));

    CliRun dryRun = client("schedules", "sync", "--dry-run", "-r", changed.toString());
    assertThat(dryRun.exitCode()).as(dryRun.err()).isZero();
    assertThat(dryRun.out())
        .contains("update     drctl/backup-daily\n      cron: '0 1 * * *' -> '30 1 * * *'\n")
        .endsWith(
            "dry run: 0 to create, 1 to update, 0 to delete, 5 unchanged; nothing was changed\n");
    assertThat(nextRun("drctl/backup-daily").getMinute()).isZero();

    CliRun sync = client("schedules", "sync", "-r", changed.toString());
    assertThat(sync.exitCode()).as(sync.err()).isZero();
    assertThat(sync.out().lines().filter(line -> line.startsWith("  update")))
        .containsExactly("  update     drctl/backup-daily");
    assertThat(sync.out())
        .contains("      cron: '0 1 * * *' -> '30 1 * * *'\n")
        .endsWith("0 created, 1 updated, 0 deleted, 5 unchanged\n");
    assertThat(nextRun("drctl/backup-daily").getMinute()).isEqualTo(30);
  }

  @Test
  void pausedInTheFilePausesTheScheduleAndTheNextSyncUndoesAResumeByHand() throws IOException {
    assertThat(client("schedules", "sync", "-r", SEED.toString()).exitCode()).isZero();
    Path paused = seedWith(root -> schedule(root, "backup-weekly").put("paused", true));

    CliRun sync = client("schedules", "sync", "-r", paused.toString());
    assertThat(sync.exitCode()).as(sync.err()).isZero();
    assertThat(sync.out())
        .contains("update     drctl/backup-weekly\n      paused: 'false' -> 'true'\n")
        .endsWith("0 created, 1 updated, 0 deleted, 5 unchanged\n");
    assertThat(
            schedules
                .getHandle("drctl/backup-weekly")
                .describe()
                .getSchedule()
                .getState()
                .isPaused())
        .isTrue();

    schedules.getHandle("drctl/backup-weekly").unpause("resumed in the Web UI");
    CliRun again = client("schedules", "sync", "-r", paused.toString());
    assertThat(again.out())
        .contains("update     drctl/backup-weekly\n      paused: 'false' -> 'true'\n");
    assertThat(
            schedules
                .getHandle("drctl/backup-weekly")
                .describe()
                .getSchedule()
                .getState()
                .isPaused())
        .isTrue();
  }

  @Test
  void aScheduleRemovedFromTheFileIsDeletedAndOnesDrctlDoesNotOwnAreNeverTouched()
      throws IOException {
    String unprefixed = "ops-nightly-" + UUID.randomUUID();
    String handMade = "drctl/hand-made-" + UUID.randomUUID();
    foreignSchedule(unprefixed, Map.of());
    foreignSchedule(handMade, Map.of());
    Instant unprefixedUpdated = lastUpdated(unprefixed);
    Instant handMadeUpdated = lastUpdated(handMade);
    assertThat(client("schedules", "sync", "-r", SEED.toString()).exitCode()).isZero();
    awaitList(
        out ->
            SEED_IDS.stream().allMatch(out::contains)); // deletion finds schedules by listing them
    Path fewer =
        seedWith(
            root -> {
              ArrayNode list = (ArrayNode) root.get("schedules");
              for (int i = 0; i < list.size(); i++) {
                if (list.get(i).path("id").asText().equals("start-of-day-checks")) {
                  list.remove(i);
                }
              }
            });

    CliRun sync = client("schedules", "sync", "-r", fewer.toString());
    assertThat(sync.exitCode()).as(sync.err()).isZero();
    assertThat(sync.out().lines().filter(line -> line.startsWith("  delete")))
        .containsExactly("  delete     drctl/start-of-day-checks");
    assertThat(sync.out()).endsWith("0 created, 0 updated, 1 deleted, 5 unchanged\n");
    assertThat(exists("drctl/start-of-day-checks")).isFalse();
    assertThat(lastUpdated(unprefixed)).isEqualTo(unprefixedUpdated);
    assertThat(lastUpdated(handMade)).isEqualTo(handMadeUpdated);

    Path taken =
        seedWith(
            root ->
                schedule(root, "backup-daily").put("id", handMade.substring("drctl/".length())));
    CliRun conflict = client("schedules", "sync", "-r", taken.toString());
    assertThat(conflict.exitCode()).isEqualTo(2);
    assertThat(conflict.err())
        .contains(handMade + " exists and was not made by drctl")
        .contains("Nothing was changed");
    assertThat(lastUpdated(handMade)).isEqualTo(handMadeUpdated);
  }

  @Test
  void aTriggeredScheduleRunsBackupDailyOnThePinnedPlanWithTheSchedulesInputs() throws Exception {
    assertThat(client("schedules", "sync", "-r", SEED.toString()).exitCode()).isZero();
    awaitList(out -> SEED_IDS.stream().allMatch(out::contains));
    CliRun sync = client("schedules", "sync", "-r", STAND_IN.toString());
    assertThat(sync.exitCode()).as(sync.err()).isZero();
    assertThat(sync.out())
        .contains("runbook 'Schedule test runbook'")
        .doesNotContain("delete ")
        .contains("backup_daily, cron '0 1 * * *' (Europe/Berlin)");

    schedules.getHandle("drctl/test-backup-daily").trigger();
    String workflowId =
        await(
            "the triggered run",
            () -> {
              var running = schedules.getHandle("drctl/test-backup-daily").describe().getInfo();
              var actions = new ArrayList<>(running.getRunningActions());
              running.getRecentActions().forEach(result -> actions.add(result.getAction()));
              return actions.isEmpty()
                  ? null
                  : ((ScheduleActionExecutionStartWorkflow) actions.get(0)).getWorkflowId();
            });
    assertThat(workflowId).startsWith("scheduled-test-backup-daily-");

    CliRun watched = client("watch", workflowId, "--interval", "0.2");
    assertThat(watched.exitCode()).as(watched.out() + watched.err()).isZero();
    assertThat(watched.out()).endsWith(workflowId + ": succeeded\n");

    HistoryEvent started = connection.client().fetchHistory(workflowId).getEvents().get(0);
    JsonNode request =
        JSON.readTree(
                started
                    .getWorkflowExecutionStartedEventAttributes()
                    .getInput()
                    .getPayloads(0)
                    .getData()
                    .toStringUtf8())
            .path("drctl");
    assertThat(request.at("/plan/hash").asText())
        .isEqualTo(running.runbook().plan("backup_daily").orElseThrow().hash());
    assertThat(request.at("/inputs/label").asText()).isEqualTo("nightly");
    assertThat(request.path("startedBy").asText()).isEqualTo("schedule drctl/test-backup-daily");
    assertThat(exists("drctl/backup-daily"))
        .as("the seed's schedules belong to another runbook")
        .isTrue();
  }

  private CliRun client(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--address", server.address(), "--task-queue", taskQueue));
    return CliRun.of(all.toArray(String[]::new));
  }

  /**
   * {@code drctl schedules list} once its output satisfies {@code condition} (the server's list
   * lags).
   */
  private CliRun awaitList(Predicate<String> condition) {
    CliRun[] last = new CliRun[1];
    await(
        "drctl schedules list to show the schedules",
        () -> {
          last[0] = client("schedules", "list");
          assertThat(last[0].exitCode()).as(last[0].err()).isZero();
          return condition.test(last[0].out()) ? last[0] : null;
        });
    return last[0];
  }

  private static <T> T await(String what, Supplier<T> probe) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (true) {
      T value = probe.get();
      if (value != null) {
        return value;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for " + what, e);
      }
    }
  }

  private ZonedDateTime nextRun(String id) {
    return schedules
        .getHandle(id)
        .describe()
        .getInfo()
        .getNextActionTimes()
        .get(0)
        .atZone(ZoneId.of("UTC"));
  }

  private Instant lastUpdated(String id) {
    ScheduleDescription description = schedules.getHandle(id).describe();
    return description.getInfo().getLastUpdatedAt();
  }

  private boolean exists(String id) {
    try {
      schedules.getHandle(id).describe();
      return true;
    } catch (RuntimeException e) {
      if (RpcErrors.is(e, Status.Code.NOT_FOUND)) {
        return false;
      }
      throw e;
    }
  }

  /** A paused schedule made by hand, not by drctl sync. */
  private void foreignSchedule(String id, Map<String, Object> memo) {
    Schedule schedule =
        Schedule.newBuilder()
            .setAction(
                ScheduleActionStartWorkflow.newBuilder()
                    .setWorkflowType("backup_daily")
                    .setOptions(
                        WorkflowOptions.newBuilder()
                            .setWorkflowId("hand-made")
                            .setTaskQueue(taskQueue)
                            .build())
                    .build())
            .setSpec(
                ScheduleSpec.newBuilder()
                    .setIntervals(List.of(new ScheduleIntervalSpec(Duration.ofHours(1))))
                    .build())
            .setState(ScheduleState.newBuilder().setPaused(true).build())
            .build();
    schedules.createSchedule(id, schedule, ScheduleOptions.newBuilder().setMemo(memo).build());
  }

  private static ObjectNode schedule(JsonNode root, String id) {
    for (JsonNode schedule : root.get("schedules")) {
      if (schedule.path("id").asText().equals(id)) {
        return (ObjectNode) schedule;
      }
    }
    throw new IllegalArgumentException("the seed has no schedule " + id);
  }

  /** A copy of the seed runbook, changed by {@code edit}. */
  private Path seedWith(java.util.function.Consumer<JsonNode> edit) throws IOException {
    JsonNode root = JSON.readTree(Files.readString(SEED));
    edit.accept(root);
    Path copy = Files.createTempFile(edits, "dr-runbook-", ".json");
    try {
      Files.writeString(copy, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return copy;
  }
}
