package io.drctl.activities.redis;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * redis.backup and redis.restore of a Redis in a Docker container (the sandbox image), whose
 * command decides appendonly: the files are reached through its volume, and it is stopped and
 * started with the container. Needs DOCKER_HOST's engine and the image, as the postgres container
 * tests do.
 */
class RedisContainerRestoreTest {
  @TempDir Path temp;

  @BeforeEach
  void needsTheImage() {
    Assumptions.assumeTrue(RedisContainer.imageAvailable(), "no engine or no image");
  }

  @Test
  void rdbRestoreIntoAContainerStartedWithAppendonlyYesLoadsTheBackupAndKeepsItAcrossARestart() {
    try (RedisContainer container = RedisContainer.start(true);
        RedisTestActivities actions = new RedisTestActivities(temp.resolve("store"))) {
      RedisTestData.seed(container);
      Set<String> db0 = container.keys(0);
      Set<String> db3 = container.keys(3);
      Map<String, JsonNode> targets = actions.targets(container.target());
      RedisBackupResult backup = actions.activities.backup(
          new RedisBackupInput("redis", RedisTestActivities.STORE, "rdb", null, null, null, targets));
      RedisTestData.changeEverything(container);

      RedisRestoreResult restored = actions.activities.restore(
          new RedisRestoreInput("redis", RedisTestActivities.STORE, "rdb", backup.backupId(), null, null, targets));

      assertThat(restored.keys()).isEqualTo(backup.keys());
      assertThat(restored.aofEnabled()).isTrue();
      assertThat(container.keys(0)).isEqualTo(db0);
      assertThat(container.keys(3)).isEqualTo(db3);
      container.restart();
      assertThat(container.keys(0)).isEqualTo(db0);
    }
  }

  @Test
  void rdbRestoreIntoAContainerStartedWithAppendonlyNoTurnsAofOnAndWritesItIntoItsConfiguration() {
    try (RedisContainer container = RedisContainer.start(false);
        RedisTestActivities actions = new RedisTestActivities(temp.resolve("store"))) {
      RedisTestData.seed(container);
      Set<String> db0 = container.keys(0);
      Map<String, JsonNode> targets = actions.targets(container.target());
      RedisBackupResult backup = actions.activities.backup(
          new RedisBackupInput("redis", RedisTestActivities.STORE, "rdb", null, null, null, targets));
      RedisTestData.changeEverything(container);

      RedisRestoreResult restored = actions.activities.restore(
          new RedisRestoreInput("redis", RedisTestActivities.STORE, "rdb", backup.backupId(), null, null, targets));
      container.redis(redis -> redis.set("written:after:restore", "kept by the AOF"));
      container.restart();

      assertThat(restored.aofEnabled()).isTrue();
      assertThat(container.keys(0)).containsAll(db0).contains("written:after:restore");
    }
  }

  @Test
  void aofRestoreIntoAContainerReplacesItsAppendonlyDirectory() {
    try (RedisContainer container = RedisContainer.start(true);
        RedisTestActivities actions = new RedisTestActivities(temp.resolve("store"))) {
      RedisTestData.seed(container);
      Set<String> db0 = container.keys(0);
      Map<String, JsonNode> targets = actions.targets(container.target());
      RedisBackupResult backup = actions.activities.backup(
          new RedisBackupInput("redis", RedisTestActivities.STORE, "aof", null, null, null, targets));
      RedisTestData.changeEverything(container);

      RedisRestoreResult restored = actions.activities.restore(
          new RedisRestoreInput("redis", RedisTestActivities.STORE, "aof", backup.backupId(), null, null, targets));

      assertThat(restored.keys()).isEqualTo(backup.keys());
      assertThat(container.keys(0)).isEqualTo(db0);
    }
  }
}
