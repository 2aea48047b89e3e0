package io.drctl.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Names, ports, images and targets of a sandbox: no engine needed. */
class SandboxLayoutTest {
  private static final Path RUNBOOK = Path.of("..", "runbooks", "dr-runbook.json");

  @Test
  void theDefaultSandboxIsExactlyWhatTheRunbooksTargetsDescribe() throws Exception {
    JsonNode runbookTargets = new ObjectMapper().readTree(RUNBOOK.toFile()).path("targets");
    ObjectNode sandboxTargets =
        (ObjectNode) SandboxTargets.of(SandboxLayout.defaults()).path("targets");
    assertThat(sandboxTargets.fieldNames())
        .toIterable()
        .containsExactly(
            "pg-primary",
            "pg-replica",
            "pg-staging",
            "redis",
            "backend",
            "backend-api",
            "dns-webhook",
            "pagerduty",
            "slack",
            "redis-replica",
            "redis-sentinel-1",
            "redis-sentinel-2",
            "redis-sentinel-3",
            "proxy",
            "frontend",
            "task-worker",
            "site",
            "pg-secondary",
            "redis-secondary",
            "backups-s3");
    sandboxTargets
        .fields()
        .forEachRemaining(
            target -> {
              ObjectNode expected = ((ObjectNode) runbookTargets.path(target.getKey())).deepCopy();
              ObjectNode actual = ((ObjectNode) target.getValue()).deepCopy();
              expected.remove("description");
              actual.remove("description");
              assertThat(actual).as(target.getKey()).isEqualTo(expected);
            });
  }

  @Test
  void aNamedSandboxHasItsOwnNamesAndADeterministicPortBlock() {
    SandboxLayout drill = SandboxLayout.of("drill", null);
    assertThat(drill.container(Role.PRIMARY)).isEqualTo("drctl-sandbox-drill-postgres");
    assertThat(drill.container(Role.REPLICA)).isEqualTo("drctl-sandbox-drill-postgres-replica");
    assertThat(drill.primaryVolume()).isEqualTo("drctl-sandbox-drill-postgres-data");
    assertThat(drill.walArchiveVolume()).isEqualTo("drctl-sandbox-drill-postgres-wal-archive");
    assertThat(drill.portBase())
        .isEqualTo(SandboxLayout.of("drill", null).portBase())
        .isBetween(21000, 24980);
    assertThat(SandboxLayout.BLOCK_SIZE)
        .as("room for every role")
        .isGreaterThanOrEqualTo(Role.values().length);
    assertThat(drill.port(Role.BACKEND)).isEqualTo(drill.portBase() + 3);
    assertThat(drill.healthUrl())
        .isEqualTo("http://127.0.0.1:" + (drill.portBase() + 3) + "/api/system/health/");
    assertThat(drill.container(Role.STAGING)).isEqualTo("drctl-sandbox-drill-postgres-staging");
    assertThat(drill.stagingVolume()).isEqualTo("drctl-sandbox-drill-postgres-staging-data");
    assertThat(drill.registryVolume()).isEqualTo("drctl-sandbox-drill-registry-data");
    assertThat(drill.registryUrl()).isEqualTo("http://127.0.0.1:" + (drill.portBase() + 5));
    assertThat(drill.notificationsVolume()).isEqualTo("drctl-sandbox-drill-notifications");
    assertThat(drill.sinkUrl(Role.SLACK)).isEqualTo("http://127.0.0.1:" + (drill.portBase() + 7));
    assertThat(drill.redisReplicaVolume()).isEqualTo("drctl-sandbox-drill-redis-replica-data");
    assertThat(drill.container(Role.SENTINEL_3)).isEqualTo("drctl-sandbox-drill-redis-sentinel-3");
    assertThat(SandboxLayout.of("other", 47000).ports())
        .isEqualTo(
            Map.ofEntries(
                Map.entry(Role.PRIMARY, 47000),
                Map.entry(Role.REPLICA, 47001),
                Map.entry(Role.REDIS, 47002),
                Map.entry(Role.BACKEND, 47003),
                Map.entry(Role.STAGING, 47004),
                Map.entry(Role.REGISTRY, 47005),
                Map.entry(Role.PAGERDUTY, 47006),
                Map.entry(Role.SLACK, 47007),
                Map.entry(Role.REDIS_REPLICA, 47008),
                Map.entry(Role.SENTINEL_1, 47009),
                Map.entry(Role.SENTINEL_2, 47010),
                Map.entry(Role.SENTINEL_3, 47011),
                Map.entry(Role.PROXY, 47012),
                Map.entry(Role.FRONTEND, 47013),
                Map.entry(Role.TASK_WORKER, 47014),
                Map.entry(Role.PG_SECONDARY, 47015),
                Map.entry(Role.REDIS_SECONDARY, 47016),
                Map.entry(Role.S3, 47017)));
    assertThat(drill.siteUrl()).isEqualTo("http://127.0.0.1:" + (drill.portBase() + 12));
    assertThat(drill.s3Endpoint()).isEqualTo("http://127.0.0.1:" + (drill.portBase() + 17));
    assertThat(drill.secondaryVolume()).isEqualTo("drctl-sandbox-drill-postgres-secondary-data");
    assertThat(SandboxLayout.of("default", null)).isEqualTo(SandboxLayout.defaults());
  }

  @Test
  void badNamesAndPortBasesAreRefusedWithTheRule() {
    for (String name : List.of("Drill", "1drill", "dr_ill", "drill-", "a--b", "x".repeat(25))) {
      assertThatThrownBy(() -> SandboxLayout.of(name, null))
          .as(name)
          .isInstanceOf(SandboxException.class)
          .hasMessageContaining("--name '" + name + "'");
    }
    assertThatThrownBy(() -> SandboxLayout.of("drill", 80))
        .hasMessage("--port-base 80: must be between 1024 and 65518");
    assertThatThrownBy(() -> SandboxLayout.of("default", 47000))
        .hasMessageContaining("the default sandbox has the runbook's ports");
  }

  @Test
  void imagesComeFromTheSharedVariableWithPerRoleOverrides() {
    SandboxImages defaults = SandboxImages.fromEnvironment(Map.of());
    assertThat(defaults.of(Role.REPLICA)).isEqualTo("local/drctl-sandbox:latest");
    assertThat(defaults.defaulted()).isTrue();
    SandboxImages official =
        SandboxImages.fromEnvironment(
            Map.of(
                "DRCTL_SANDBOX_IMAGE",
                "local/drctl-sandbox:abc",
                "DRCTL_SANDBOX_POSTGRES_IMAGE",
                "postgres:15",
                "DRCTL_SANDBOX_REDIS_IMAGE",
                "redis:7"));
    assertThat(official.of(Role.PRIMARY)).isEqualTo("postgres:15");
    assertThat(official.of(Role.REPLICA)).isEqualTo("postgres:15");
    assertThat(official.of(Role.REDIS)).isEqualTo("redis:7");
    assertThat(official.of(Role.BACKEND)).isEqualTo("local/drctl-sandbox:abc");
    assertThat(official.defaulted()).isFalse();
  }

  @Test
  void theArchiveCommandIsIdempotentAndWritesThroughATemporaryName() {
    assertThat(ServiceDefinitions.ARCHIVE_COMMAND)
        .isEqualTo(
            "test -f /archive/%f || (cp %p /archive/%f.part && mv /archive/%f.part /archive/%f)");
    assertThat(ServiceDefinitions.primaryConfiguration())
        .contains("archive_command = '" + ServiceDefinitions.ARCHIVE_COMMAND + "'")
        .contains("wal_level = replica")
        .contains("archive_mode = on")
        .contains("hot_standby = on");
  }

  @Test
  void aSpecMadeDifferentlyHasAnotherFingerprint() {
    ServiceDefinitions services =
        new ServiceDefinitions(SandboxLayout.defaults(), SandboxImages.fromEnvironment(Map.of()));
    ServiceSpec backend = services.of(Role.BACKEND);
    assertThat(backend.fingerprint()).isEqualTo(services.of(Role.BACKEND).fingerprint());
    assertThat(backend.withEnvironment(Map.of("BACKEND_CRASH", "1")).fingerprint())
        .isNotEqualTo(backend.fingerprint());
    assertThat(backend.environment())
        .containsEntry("PGPORT", "55432")
        .containsEntry("REDIS_PORT", "56379")
        .containsEntry("BACKEND_PORT", "58000")
        .containsEntry("PGDATABASE", "thebot_db")
        .containsEntry("BACKEND_RECORDS", "/records")
        .containsEntry("BACKEND_REDIS_HEARTBEAT", "drctl:heartbeat");
    assertThat(backend.volumes())
        .containsEntry("drctl-sandbox-registry-data", "/records" + ServiceSpec.READ_ONLY);
    assertThat(services.of(Role.REGISTRY).volumes())
        .containsEntry("drctl-sandbox-registry-data", "/records");
  }

  @Test
  void bothNotificationSinksKeepTheirMessagesOnOneVolumeAndCheckTheSandboxToken() {
    ServiceDefinitions services =
        new ServiceDefinitions(SandboxLayout.defaults(), SandboxImages.fromEnvironment(Map.of()));
    ServiceSpec slack = services.of(Role.SLACK);
    ServiceSpec pagerDuty = services.of(Role.PAGERDUTY);
    assertThat(slack.container()).isEqualTo("drctl-sandbox-notify-slack");
    assertThat(slack.environment())
        .containsEntry("SINK_SERVICE", "slack")
        .containsEntry("SINK_PORT", "58083")
        .containsEntry("SINK_TOKEN", SandboxLayout.NOTIFY_TOKEN);
    assertThat(pagerDuty.environment())
        .containsEntry("SINK_SERVICE", "pagerduty")
        .containsEntry("SINK_PORT", "58082");
    assertThat(slack.volumes())
        .isEqualTo(pagerDuty.volumes())
        .isEqualTo(Map.of("drctl-sandbox-notifications", SandboxLayout.NOTIFICATIONS));
  }

  @Test
  void stagingNeitherArchivesNorReinitialisesADataDirectoryThatHoldsAnything() {
    ServiceSpec staging =
        new ServiceDefinitions(SandboxLayout.defaults(), SandboxImages.fromEnvironment(Map.of()))
            .of(Role.STAGING);
    assertThat(staging.container()).isEqualTo("drctl-sandbox-postgres-staging");
    assertThat(staging.volumes())
        .isEqualTo(Map.of("drctl-sandbox-postgres-staging-data", "/var/lib/postgresql/data"));
    assertThat(staging.binds()).as("no backup store, no WAL archive").isEmpty();
    assertThat(staging.script())
        .contains("archive_mode = off")
        .doesNotContain("archive_command")
        .doesNotContain("restore_command")
        .doesNotContain("find /var/lib/postgresql/data -mindepth 1 -delete")
        .contains("refusing to initialise over it")
        .contains("-c port=55434");
  }

  @Test
  void theReplicaFollowsTheMasterAndThreeSentinelsWatchItWithQuorumTwo() {
    ServiceDefinitions services =
        new ServiceDefinitions(SandboxLayout.defaults(), SandboxImages.fromEnvironment(Map.of()));
    ServiceSpec replica = services.of(Role.REDIS_REPLICA);
    assertThat(replica.container()).isEqualTo("drctl-sandbox-redis-replica");
    assertThat(replica.volumes()).isEqualTo(Map.of("drctl-sandbox-redis-replica-data", "/data"));
    assertThat(replica.script())
        .contains("--port 56381")
        .contains("--replicaof 127.0.0.1 56379")
        .contains("--masterauth \"$REDISCLI_AUTH\"")
        .contains("--appendonly yes --appendfsync everysec");
    assertThat(Role.SENTINELS)
        .extracting(role -> services.of(role).script())
        .allSatisfy(
            script ->
                assertThat(script)
                    .contains("sentinel monitor mymaster 127.0.0.1 56379 2")
                    .contains("sentinel down-after-milliseconds mymaster 3000")
                    .contains("sentinel auth-pass mymaster drctl-sandbox")
                    .contains("redis-sentinel /tmp/sentinel.conf"));
    assertThat(services.of(Role.SENTINEL_2).script()).contains("port 26380");
    assertThat(services.of(Role.SENTINEL_2).volumes()).isEmpty();
  }
}
