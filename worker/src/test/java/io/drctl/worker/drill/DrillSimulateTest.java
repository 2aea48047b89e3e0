package io.drctl.worker.drill;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.Container;
import io.drctl.sandbox.Dataset;
import io.drctl.sandbox.RedisGroup;
import io.drctl.sandbox.Role;
import io.drctl.sandbox.Sandbox;
import io.drctl.sandbox.SandboxEngine;
import io.drctl.sandbox.SandboxImages;
import io.drctl.sandbox.SandboxLayout;
import io.drctl.sandbox.SandboxNotifications;
import io.drctl.sandbox.WalArchiving;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Issue 15: {@code drctl drill --all --simulate} against a sandbox that is up (its own, {@value
 * #SANDBOX}, ports 30340-30359) changes nothing: the same containers (ids and states), volumes,
 * database rows and checksums, Redis keys, backup store files and notifications before and after;
 * and it prints the plan and a predicted RTO of every scenario it can run.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Execution(ExecutionMode.CONCURRENT)
class DrillSimulateTest {
  private static final String SANDBOX = "drill-sim";
  private static final SandboxLayout LAYOUT = SandboxLayout.of(SANDBOX, 30340);
  private static final Path RUNBOOK =
      Path.of("..", "runbooks", "dr-runbook.json").toAbsolutePath().normalize();

  @TempDir static Path dir;
  private SandboxEngine engine;
  private Sandbox sandbox;

  @BeforeAll
  void bringUpTheSandbox() {
    engine = SandboxEngine.fromEnvironment();
    sandbox =
        new Sandbox(
            engine,
            LAYOUT,
            SandboxImages.fromEnvironment(System.getenv()),
            WalArchiving.store(dir.resolve("backups"), null),
            line -> {});
    sandbox.down();
    Sandbox.UpOptions up = new Sandbox.UpOptions(1, dir.resolve("sandbox.targets.json"));
    try {
      sandbox.up(up);
    } catch (io.drctl.sandbox.SandboxException slow) {
      sandbox.up(
          up); // a health check out of time on a loaded machine: up repairs what is not healthy, as
      // the drill does
    }
  }

  @AfterAll
  void takeItDown() {
    try (SandboxEngine closing = engine) {
      if (sandbox != null) {
        sandbox.down();
      }
    }
  }

  @Test
  void simulatingEveryScenarioTouchesNoContainerVolumeDatabaseStoreOrChannel() throws Exception {
    // up waits for the replica to stream, not to have replayed the seed: wait for the replica to
    // hold the dataset before the first snapshot (the clean-clone run caught it still replaying).
    io.drctl.testing.Await.awaitTrue(
        () -> {
          try (Connection replica = sandbox.replica()) {
            return Dataset.verify(replica).ok();
          } catch (io.drctl.sandbox.SandboxException replaying) {
            return false;
          }
        },
        java.time.Duration.ofSeconds(120),
        "the replica to replay the seeded dataset");
    Map<String, Object> before = snapshot();

    CliCapture run =
        CliCapture.run(
            "drill",
            "--all",
            "--simulate",
            "-r",
            RUNBOOK.toString(),
            "--name",
            SANDBOX,
            "--port-base",
            String.valueOf(LAYOUT.portBase()),
            "--port",
            "29771",
            "--state-dir",
            dir.resolve("state").toString(),
            "--backups",
            dir.resolve("backups").toString());

    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    Map<String, Object> after = snapshot();
    assertThat(after).as("the platform after --simulate").isEqualTo(before);
    for (DrillScenario scenario : DrillScenarios.standard().all()) {
      if (scenario.runnable()) {
        assertThat(run.out())
            .as(scenario.key())
            .containsPattern(
                "(?m)^scenario +"
                    + scenario.key()
                    + " .*"
                    + scenario.incident()
                    + ", \\d+ steps would run, [1-9]\\d* actions recorded");
        assertThat(run.out())
            .containsPattern("(?m)^" + scenario.key() + " +" + scenario.incident() + " +\\d+ ");
      } else {
        assertThat(run.out())
            .contains("scenario     " + scenario.key() + ": skipped, " + scenario.skipReason());
      }
    }
    assertThat(run.out()).contains("predicted RTO").contains("never measured: its timeout");
  }

  /** Everything a drill could change, as comparable values. */
  private Map<String, Object> snapshot() throws Exception {
    Map<String, Object> seen = new TreeMap<>();
    for (Container container : engine.containers(SANDBOX)) {
      seen.put(
          "container " + String.join(",", container.getNames()),
          container.getId() + " " + container.getState());
    }
    seen.put("volumes", engine.volumes(SANDBOX));
    try (Connection primary = sandbox.primary()) {
      for (Dataset.TableCheck table : Dataset.verify(primary).tables()) {
        seen.put("table " + table.table(), table.liveRows() + " " + table.liveChecksum());
      }
    }
    try (Connection replica = sandbox.replica()) {
      seen.put(
          "replica tables",
          Dataset.verify(replica).tables().stream()
              .map(table -> table.table() + " " + table.liveRows() + " " + table.liveChecksum())
              .toList());
    }
    RedisGroup redis = new RedisGroup(LAYOUT);
    seen.put(
        "redis keys",
        redis.redis(
            Role.REDIS,
            commands ->
                new TreeMap<>(
                    Map.of(
                        "dbsize", commands.dbsize(), "role", commands.role().get(0).toString()))));
    seen.put("redis master by sentinel", redis.view().masters());
    List<String> files = new ArrayList<>();
    if (Files.isDirectory(dir.resolve("backups"))) {
      try (Stream<Path> walk = Files.walk(dir.resolve("backups"))) {
        walk.filter(Files::isRegularFile)
            .sorted()
            .forEach(file -> files.add(dir.relativize(file) + " " + file.toFile().length()));
      }
    }
    seen.put("store", files);
    seen.put("notifications", new SandboxNotifications(LAYOUT).after(null).size());
    return seen;
  }
}
