package io.drctl.activities.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.lettuce.core.RedisConnectionException;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * redis.restore repeated after a worker crashed in the middle of one: the server stopped, the old
 * dump.rdb gone, a half-downloaded file staged in the data directory.
 */
class RedisRestoreRetryTest {
  @RegisterExtension final RedisFixture fixture = RedisFixture.withAof();

  @Test
  void retryAfterACrashThatLeftRedisStoppedStartsItFromWhatTheFirstAttemptRecorded()
      throws IOException {
    RedisTestServer server = fixture.server();
    RedisTestActivities actions = fixture.actions();
    Set<String> db0 = server.keys(0);
    RedisBackupResult backup = actions.backup(server, "rdb");
    RedisTestData.changeEverything(server);
    crashAfterStopping();
    // What the crashed attempt's heartbeats carried once it had read how the server is started.
    actions.environment.setHeartbeatDetails(
        new RedisProgress(
            "redis.restore",
            "stopping Redis",
            0,
            1,
            new ServerLaunch(
                RedisTestServer.program(),
                server.config().toString(),
                server.data().toString(),
                "dump.rdb",
                "appendonlydir",
                "appendonly.aof",
                true)));

    RedisRestoreResult restored = actions.restore(server, "rdb", backup.backupId());

    assertThat(restored.keys()).isEqualTo(backup.keys());
    assertThat(server.keys(0)).isEqualTo(db0);
    try (var leftovers = Files.list(server.data())) {
      assertThat(leftovers.map(path -> path.getFileName().toString()))
          .noneMatch(name -> name.startsWith(".drctl"));
    }
  }

  @Test
  void retryThatFindsRedisStillLoadingWhatTheCrashedAttemptStartedStopsItAndRestores() {
    RedisTestServer server = fixture.server();
    RedisTestActivities actions = fixture.actions();
    server.redis(
        redis -> {
          for (int i = 0; i < 2000; i++) {
            redis.set("loaded:slowly:" + i, "x");
          }
          return null;
        });
    Set<String> db0 = server.keys(0);
    RedisBackupResult backup = actions.backup(server, "rdb");
    RedisTestData.changeEverything(server);
    // What a crash while Redis loads leaves, its heartbeat with how Redis is started not yet sent:
    // Redis started with appendonly no, loading the RDB, slowed down here to 20 ms a key as a big
    // dataset would take, and answering (LOADING) every 1 KB loaded, as Redis does every 2 MB.
    server.stop();
    server.launchAgain(
        "--appendonly",
        "no",
        "--key-load-delay",
        "20000",
        "--loading-process-events-interval-bytes",
        "1024");
    awaitInfo(server, "persistence", "loading:1");

    RedisRestoreResult restored = actions.restore(server, "rdb", backup.backupId());

    assertThat(restored.keys()).isEqualTo(backup.keys());
    assertThat(server.keys(0)).isEqualTo(db0);
  }

  @Test
  void retryThatFindsRedisStillWritingItsFirstAofStopsItAndRestores() {
    RedisTestServer server = fixture.server();
    RedisTestActivities actions = fixture.actions();
    Set<String> db0 = server.keys(0);
    RedisBackupResult backup = actions.backup(server, "rdb");
    RedisTestData.changeEverything(server);
    // What a crash after CONFIG SET appendonly yes leaves: Redis writing its first AOF (slowed down
    // here to 0.1 s a key), during which it refuses a plain SHUTDOWN.
    server.redis(
        redis -> {
          redis.configSet("appendonly", "no");
          redis.configSet("rdb-key-save-delay", "100000");
          return redis.configSet("appendonly", "yes");
        });
    awaitInfo(server, "persistence", "aof_rewrite_in_progress:1");

    RedisRestoreResult restored = actions.restore(server, "rdb", backup.backupId());

    assertThat(restored.keys()).isEqualTo(backup.keys());
    assertThat(restored.aofEnabled()).isTrue();
    assertThat(server.keys(0)).isEqualTo(db0);
  }

  @Test
  void retryThatFindsRedisStoppedWithoutARecordOfItsStartFailsRetryably() {
    RedisTestServer server = fixture.server();
    RedisTestActivities actions = fixture.actions();
    RedisBackupResult backup = actions.backup(server, "rdb");
    server.stop();

    Throwable thrown = catchThrowable(() -> actions.restore(server, "rdb", backup.backupId()));

    ApplicationFailure failure = (ApplicationFailure) ((ActivityFailure) thrown).getCause();
    assertThat(failure.getType()).isEqualTo(RedisFailures.SERVER_UNAVAILABLE);
    assertThat(failure.isNonRetryable()).isFalse();
  }

  private static void awaitInfo(RedisTestServer server, String section, String line) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (server.redis(redis -> redis.info(section)).contains(line + "\r\n")) {
          return;
        }
      } catch (RedisConnectionException notYetListening) {
        // the launched server does not listen yet
      }
      Thread.onSpinWait();
    }
    throw new AssertionError("INFO " + section + " never said " + line + ":\n" + server.log());
  }

  private void crashAfterStopping() throws IOException {
    fixture.server().stop();
    Files.deleteIfExists(fixture.server().data().resolve("dump.rdb"));
    Files.writeString(
        fixture.server().data().resolve(".drctl-restore-" + "0f0f0f"), "half a download");
  }
}
