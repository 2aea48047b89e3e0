package io.drctl.worker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code drctl drill}'s bad arguments: one line each, exit 2, nothing started. */
class DrillCommandTest {
  @Test
  void anUnknownScenarioIsOneLineWithTheClosestName() {
    CliRun run = CliRun.of("drill", "cache_falover");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().strip())
        .isEqualTo(
            "drctl: unknown scenario 'cache_falover': did you mean 'cache_failover'?"
                + " (drctl drill --list names them all)");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void scenariosAndAllTogetherOrNeitherAreRefused() {
    CliRun both = CliRun.of("drill", "--all", "backend");
    assertThat(both.exitCode()).isEqualTo(2);
    assertThat(both.err().strip()).isEqualTo("drctl: name scenarios or give --all, not both");
    CliRun neither = CliRun.of("drill");
    assertThat(neither.exitCode()).isEqualTo(2);
    assertThat(neither.err().strip())
        .isEqualTo("drctl: name the scenarios to run, or --all (drctl drill --list names them)");
  }

  @Test
  void badNumbersAreRefusedBeforeAnythingStarts() {
    assertThat(CliRun.of("drill", "backend", "--scale", "0").err().strip())
        .isEqualTo("drctl: --scale 0: must be 1 or more");
    assertThat(CliRun.of("drill", "backend", "--port", "70000").err().strip())
        .isEqualTo("drctl: port 70000: not a port (1 to 65535)");
    CliRun missing = CliRun.of("drill", "backend", "-r", "no-such-runbook.json");
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err().strip()).isEqualTo("drctl: no-such-runbook.json: no such file");
  }

  @Test
  void listNamesEveryScenarioAndTheIncidentThatRecoversIt() {
    CliRun run = CliRun.of("drill", "--list");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out().lines().map(line -> line.split(" +")[0]).toList())
        .containsExactly(
            "backend",
            "database_failure",
            "database_corruption_running",
            "database_disk_corruption",
            "cache_degraded",
            "cache_failure",
            "datacenter_failure",
            "datacenter_failback",
            "data_corruption",
            "multi_service",
            "cache_failover",
            "replica_promotion");
    assertThat(run.out())
        .contains("cache_failover/redis")
        .contains("datacenter_failure/pg-secondary")
        .contains("datacenter_failback/pg-primary")
        .doesNotContain("skipped");
  }
}
