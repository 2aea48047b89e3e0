package io.drctl.activities.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The BGSAVE wait of redis.backup when two saves end in the same second: LASTSAVE does not move
 * between them, so only rdb_saves tells the second save from the first.
 */
class RedisBgsaveWaitTest {
  private static final int TRIES = 5;

  @RegisterExtension final RedisFixture fixture = RedisFixture.emptyWithoutAof();

  @Test
  void secondBackupInTheSameSecondWaitsForItsOwnSaveAndHoldsTheWriteBetweenThem() {
    RedisTestServer server = fixture.server();
    RedisTestActivities actions = fixture.actions();
    for (int attempt = 1; attempt <= TRIES; attempt++) {
      server.redis(redis -> redis.flushall());
      awaitStartOfASecond();
      server.redis(redis -> redis.set("first", "1"));
      RedisBackupResult first = actions.backup(server, "rdb");
      long firstSave = server.redis(redis -> redis.lastsave().getTime());
      server.redis(redis -> redis.set("second", "2"));
      RedisBackupResult second = actions.backup(server, "rdb");
      long secondSave = server.redis(redis -> redis.lastsave().getTime());
      if (firstSave != secondSave) {
        continue;
      }

      actions.restore(server, "rdb", second.backupId());
      assertThat(server.keys(0)).isEqualTo(Set.of("first", "second"));
      actions.restore(server, "rdb", first.backupId());
      assertThat(server.keys(0)).isEqualTo(Set.of("first"));
      assertThat(first.keys()).isEqualTo(1);
      assertThat(second.keys()).isEqualTo(2);
      return;
    }
    throw new AssertionError("no two backups ended in the same second in " + TRIES + " tries");
  }

  private static void awaitStartOfASecond() {
    long millis = System.currentTimeMillis() % 1000;
    try {
      Thread.sleep(1000 - millis + 5);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
