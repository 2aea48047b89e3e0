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
      BackedUp backedUp = backUpAndChange(container, actions, "rdb");

      RedisRestoreResult restored = restore(actions, backedUp, "rdb");

      assertThat(restored.keys()).isEqualTo(backedUp.backup().keys());
      assertThat(restored.aofEnabled()).isTrue();
      assertThat(container.keys(0)).isEqualTo(backedUp.db0());
      assertThat(container.keys(3)).isEqualTo(backedUp.db3());
      container.restart();
      assertThat(container.keys(0)).isEqualTo(backedUp.db0());
    }
  }

  @Test
  void rdbRestoreIntoAContainerStartedWithAppendonlyNoTurnsAofOnAndWritesItIntoItsConfiguration() {
    try (RedisContainer container = RedisContainer.start(false);
        RedisTestActivities actions = new RedisTestActivities(temp.resolve("store"))) {
      BackedUp backedUp = backUpAndChange(container, actions, "rdb");

      RedisRestoreResult restored = restore(actions, backedUp, "rdb");
      container.redis(redis -> redis.set("written:after:restore", "kept by the AOF"));
      container.restart();

      assertThat(restored.aofEnabled()).isTrue();
      assertThat(container.keys(0)).containsAll(backedUp.db0()).contains("written:after:restore");
    }
  }

  @Test
  void aofRestoreIntoAContainerReplacesItsAppendonlyDirectory() {
    try (RedisContainer container = RedisContainer.start(true);
        RedisTestActivities actions = new RedisTestActivities(temp.resolve("store"))) {
      BackedUp backedUp = backUpAndChange(container, actions, "aof");

      RedisRestoreResult restored = restore(actions, backedUp, "aof");

      assertThat(restored.keys()).isEqualTo(backedUp.backup().keys());
      assertThat(container.keys(0)).isEqualTo(backedUp.db0());
    }
  }

  /** A backup of a seeded container, its key sets, and the step targets that name it. */
  private record BackedUp(
      Map<String, JsonNode> targets, RedisBackupResult backup, Set<String> db0, Set<String> db3) {}

  private static BackedUp backUpAndChange(
      RedisContainer container, RedisTestActivities actions, String type) {
    RedisTestData.seed(container);
    Map<String, JsonNode> targets = actions.targets(container.target());
    BackedUp backedUp =
        new BackedUp(
            targets,
            actions.activities.backup(
                new RedisBackupInput(
                    "redis", RedisTestActivities.STORE, type, null, null, null, targets)),
            container.keys(0),
            container.keys(3));
    RedisTestData.changeEverything(container);
    return backedUp;
  }

  private static RedisRestoreResult restore(
      RedisTestActivities actions, BackedUp backedUp, String type) {
    return actions.activities.restore(
        new RedisRestoreInput(
            "redis",
            RedisTestActivities.STORE,
            type,
            backedUp.backup().backupId(),
            null,
            null,
            backedUp.targets()));
  }
}
