package io.drctl.activities.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.file.Files;
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
  void retryAfterACrashThatLeftRedisStoppedStartsItFromWhatTheFirstAttemptRecorded() throws IOException {
    RedisTestServer server = fixture.server();
    RedisTestActivities actions = fixture.actions();
    Set<String> db0 = server.keys(0);
    RedisBackupResult backup = actions.backup(server, "rdb");
    RedisTestData.changeEverything(server);
    crashAfterStopping();
    // What the crashed attempt's heartbeats carried once it had read how the server is started.
    actions.environment.setHeartbeatDetails(new RedisProgress("redis.restore", "stopping Redis", 0, 1,
        new ServerLaunch(RedisTestServer.program(), server.config().toString(), server.data().toString(), "dump.rdb",
            "appendonlydir", "appendonly.aof", true)));

    RedisRestoreResult restored = actions.restore(server, "rdb", backup.backupId());

    assertThat(restored.keys()).isEqualTo(backup.keys());
    assertThat(server.keys(0)).isEqualTo(db0);
    try (var leftovers = Files.list(server.data())) {
      assertThat(leftovers.map(path -> path.getFileName().toString())).noneMatch(name -> name.startsWith(".drctl"));
    }
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

  private void crashAfterStopping() throws IOException {
    fixture.server().stop();
    Files.deleteIfExists(fixture.server().data().resolve("dump.rdb"));
    Files.writeString(fixture.server().data().resolve(".drctl-restore-" + "0f0f0f"), "half a download");
  }
}
