package io.drctl.activities.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** redis.backup type rdb and redis.restore of it, against real redis-server processes. */
class RedisRdbRestoreTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @RegisterExtension final RedisFixture fixture = RedisFixture.withAof();

  @Test
  void rdbRestoreBringsBackExactlyTheKeySetTheBackupRecordedAndKeepsItAcrossARestart() {
    RedisTestServer server = fixture.server();
    RedisTestActivities actions = fixture.actions();
    Set<String> db0 = server.keys(0);
    Set<String> db3 = server.keys(3);
    RedisBackupResult backup = actions.backup(server, "rdb");
    RedisTestData.changeEverything(server);

    RedisRestoreResult restored = actions.restore(server, "rdb", backup.backupId());

    assertThat(backup.keys()).isEqualTo(RedisTestData.DB0_KEYS + RedisTestData.DB3_KEYS);
    assertThat(backup.type()).isEqualTo("rdb");
    assertThat(restored.keys()).isEqualTo(backup.keys());
    assertThat(restored.aofEnabled()).isTrue();
    assertThat(server.keys(0)).isEqualTo(db0);
    assertThat(server.keys(3)).isEqualTo(db3);
    String name = server.redis(redis -> redis.hget("profile:1", "name"));
    assertThat(name).isEqualTo("Ada");

    // CONFIG SET appendonly yes wrote the data into the AOF and CONFIG REWRITE kept it in the file.
    server.stop();
    server.restart();
    assertThat(server.keys(0)).isEqualTo(db0);
    assertThat(server.keys(3)).isEqualTo(db3);
  }

  @Test
  void aBackupWhoseRecordedKeySetIsNotItsFilesFailsTheRestoreForGood() throws IOException {
    RedisTestServer server = fixture.server();
    RedisTestActivities actions = fixture.actions();
    RedisBackupResult backup = actions.backup(server, "rdb");
    Path metadata;
    try (Stream<Path> files = Files.walk(fixture.actions().store())) {
      metadata =
          files
              .filter(file -> file.endsWith(Path.of(backup.backupId(), "metadata.json")))
              .findFirst()
              .orElseThrow();
    }
    ObjectNode recorded = (ObjectNode) JSON.readTree(metadata.toFile());
    ((ObjectNode) recorded.path("fingerprints").path("db3"))
        .put("checksum", KeySets.Formula.XXH64.fingerprint(42));
    JSON.writeValue(metadata.toFile(), recorded);

    Throwable thrown = catchThrowable(() -> actions.restore(server, "rdb", backup.backupId()));

    ApplicationFailure failure = (ApplicationFailure) ((ActivityFailure) thrown).getCause();
    assertThat(failure.getType()).isEqualTo(RedisFailures.RESTORE_FAILED);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .contains("loaded other keys than backup " + backup.backupId())
        .contains(
            "db3: backup "
                + RedisTestData.DB3_KEYS
                + " keys "
                + KeySets.Formula.XXH64.fingerprint(42));
  }

  @Test
  void startingWithAppendonlyYesNextToARestoredRdbLosesTheDataButTheRestoreOrderKeepsIt()
      throws IOException {
    RedisTestServer server = fixture.server();
    RedisTestActivities actions = fixture.actions();
    Set<String> db0 = server.keys(0);
    RedisBackupResult backup = actions.backup(server, "rdb");
    Path saved =
        Files.copy(server.data().resolve("dump.rdb"), fixture.directory().resolve("saved.rdb"));
    RedisTestData.changeEverything(server);

    // The naive order: put dump.rdb in place without an appendonlydir and start with appendonly
    // yes.
    server.stop();
    RedisFiles.delete(server.data().resolve("appendonlydir"));
    Files.copy(
        saved,
        server.data().resolve("dump.rdb"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    server.restart();
    long keysAfterNaiveOrder = server.redis(redis -> redis.dbsize());
    assertThat(keysAfterNaiveOrder).as("keys after the naive order").isZero();

    actions.restore(server, "rdb", backup.backupId());

    assertThat(server.keys(0)).isEqualTo(db0);
  }

  @Test
  void restoreWithoutEnableAofLeavesAofOffAndTheConfigurationFileSayingSo() {
    RedisTestServer server = fixture.server();
    RedisTestActivities actions = fixture.actions();
    Set<String> db0 = server.keys(0);
    RedisBackupResult backup = actions.backup(server, "rdb");
    RedisTestData.changeEverything(server);

    RedisRestoreResult restored =
        actions.activities.restore(
            new RedisRestoreInput(
                "redis",
                RedisTestActivities.STORE,
                "rdb",
                backup.backupId(),
                false,
                null,
                actions.targets(server)));

    assertThat(restored.aofEnabled()).isFalse();
    // The file said appendonly yes: without the rewrite a restart would load an empty new AOF.
    server.stop();
    server.restart();
    assertThat(server.keys(0)).isEqualTo(db0);
  }
}
