package io.drctl.activities.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.drctl.activities.postgres.DumpDirectory;
import io.drctl.store.StoreConfig;
import io.drctl.store.catalog.BackupCatalog;
import io.drctl.store.catalog.BackupMetadata;
import io.drctl.store.catalog.BackupRequest;
import io.drctl.store.catalog.BackupType;
import io.drctl.store.object.ObjectStore;
import io.drctl.store.open.ObjectStores;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * redis.backup type aof, redis.restore of it and redis.checkAof, against real redis-server
 * processes.
 */
class RedisAofTest {
  @RegisterExtension final RedisFixture fixture = RedisFixture.withAof();

  @Test
  void aofRestoreBringsBackExactlyTheKeySetTheBackupRecorded() {
    RedisTestServer server = fixture.server();
    RedisTestActivities actions = fixture.actions();
    Set<String> db0 = server.keys(0);
    Set<String> db3 = server.keys(3);
    RedisBackupResult backup = actions.backup(server, "aof");
    RedisTestData.changeEverything(server);

    RedisRestoreResult restored = actions.restore(server, "aof", backup.backupId());

    assertThat(backup.type()).isEqualTo("aof");
    assertThat(backup.keys()).isEqualTo(RedisTestData.DB0_KEYS + RedisTestData.DB3_KEYS);
    assertThat(restored.keys()).isEqualTo(backup.keys());
    assertThat(restored.aofEnabled()).isTrue();
    assertThat(server.keys(0)).isEqualTo(db0);
    assertThat(server.keys(3)).isEqualTo(db3);
    server.stop();
    server.restart();
    assertThat(server.keys(0)).isEqualTo(db0);
  }

  @Test
  void aofBackupPutsAutomaticRewritesBackAsTheyWere() {
    RedisTestServer server = fixture.server();
    server.redis(redis -> redis.configSet("auto-aof-rewrite-percentage", "73"));

    fixture.actions().backup(server, "aof");

    Map<String, String> after =
        server.redis(redis -> redis.configGet("auto-aof-rewrite-percentage"));
    assertThat(after).containsEntry("auto-aof-rewrite-percentage", "73");
  }

  @Test
  void aofBackupThatFailsPutsAutomaticRewritesBackToo() throws IOException {
    RedisTestServer server = fixture.server();
    server.redis(redis -> redis.configSet("auto-aof-rewrite-percentage", "73"));
    try (var files = Files.list(server.data().resolve("appendonlydir"))) {
      for (Path manifest : files.filter(path -> path.toString().endsWith(".manifest")).toList()) {
        Files.delete(manifest);
      }
    }

    Throwable thrown = catchThrowable(() -> fixture.actions().backup(server, "aof"));

    assertThat(thrown).isInstanceOf(ActivityFailure.class);
    Map<String, String> after =
        server.redis(redis -> redis.configGet("auto-aof-rewrite-percentage"));
    assertThat(after).containsEntry("auto-aof-rewrite-percentage", "73");
  }

  @Test
  void aofBackupOfAServerWithoutAofFailsNonRetryablyWithAofDisabled() {
    fixture.server().redis(redis -> redis.configSet("appendonly", "no"));

    Throwable thrown = catchThrowable(() -> fixture.actions().backup(fixture.server(), "aof"));

    ApplicationFailure failure = (ApplicationFailure) ((ActivityFailure) thrown).getCause();
    assertThat(failure.getType()).isEqualTo(RedisFailures.AOF_DISABLED);
    assertThat(failure.isNonRetryable()).isTrue();
  }

  @Test
  void truncatedAofIsReportedWithItsOffsetByCheckAof() throws IOException {
    RedisCheckAofResult healthy = checkAof(false);
    fixture.server().stop();
    Path increment = incrementFile();
    long size = Files.size(increment);
    truncate(increment, size - 5);

    RedisCheckAofResult truncated = checkAof(false);
    Throwable thrown = catchThrowable(() -> checkAof(true));

    assertThat(healthy.ok()).isTrue();
    assertThat(healthy.truncatedAt()).isEqualTo(-1);
    assertThat(healthy.files()).isEqualTo(2);
    assertThat(truncated.ok()).isFalse();
    assertThat(truncated.truncatedAt()).isBetween(0L, size - 5);
    assertThat(truncated.message()).contains("not valid");
    ApplicationFailure failure = (ApplicationFailure) ((ActivityFailure) thrown).getCause();
    assertThat(failure.getType()).isEqualTo(RedisFailures.AOF_CORRUPT);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(Files.size(increment)).as("checkAof never fixes").isEqualTo(size - 5);
  }

  @Test
  void anAofBackupThatFailsRedisCheckAofIsRefusedBeforeTheServerIsTouched() throws IOException {
    RedisTestServer server = fixture.server();
    RedisTestActivities actions = fixture.actions();
    Set<String> db0 = server.keys(0);
    Path copy = Files.createDirectories(fixture.directory().resolve("truncated-copy"));
    server.stop();
    for (Path file : Files.list(server.data().resolve("appendonlydir")).toList()) {
      Files.copy(file, copy.resolve(file.getFileName()));
    }
    server.restart();
    Path increment =
        Files.list(copy)
            .filter(path -> path.toString().endsWith(".incr.aof"))
            .findFirst()
            .orElseThrow();
    truncate(increment, Files.size(increment) - 3);
    BackupMetadata stored = store(copy);

    RedisCheckAofResult check =
        actions.activities.checkAof(
            new RedisCheckAofInput(
                "redis",
                RedisTestActivities.STORE,
                stored.backupId(),
                false,
                actions.targets(server)));
    Throwable thrown = catchThrowable(() -> actions.restore(server, "aof", stored.backupId()));

    assertThat(check.ok()).isFalse();
    ApplicationFailure failure = (ApplicationFailure) ((ActivityFailure) thrown).getCause();
    assertThat(failure.getType()).isEqualTo("BackupCorrupt");
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(server.keys(0)).isEqualTo(db0);
  }

  private BackupMetadata store(Path aofDirectory) throws IOException {
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    DumpDirectory.tar(aofDirectory, tar, (phase, bytes) -> {}, "test");
    try (ObjectStore store =
        ObjectStores.open(StoreConfig.local(fixture.directory().resolve("store")))) {
      return new BackupCatalog(store)
          .write(
              BackupRequest.of(RedisActivities.BACKUP_SERVICE, BackupType.MANUAL, "tar"),
              new java.io.ByteArrayInputStream(tar.toByteArray()));
    }
  }

  private RedisCheckAofResult checkAof(boolean failOnProblem) {
    return fixture
        .actions()
        .activities
        .checkAof(
            new RedisCheckAofInput(
                "redis", null, null, failOnProblem, fixture.actions().targets(fixture.server())));
  }

  private Path incrementFile() throws IOException {
    try (var files = Files.list(fixture.server().data().resolve("appendonlydir"))) {
      return files.filter(path -> path.toString().endsWith(".incr.aof")).findFirst().orElseThrow();
    }
  }

  private static void truncate(Path file, long size) throws IOException {
    try (RandomAccessFile handle = new RandomAccessFile(file.toFile(), "rw")) {
      handle.setLength(size);
    }
  }
}
