package io.drctl.activities.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.drctl.store.catalog.BackupMetadata.TableFingerprint;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link LoadedRdb}: the key sets of a restored RDB count as loaded only from a server started on
 * the file after it was put in place, holding its counts, when they are the backup's.
 */
class LoadedRdbTest {
  @RegisterExtension final RedisFixture fixture = RedisFixture.emptyWithoutAof();
  private RedisTestServer server;
  private Path rdb;
  private Map<String, TableFingerprint> recorded;

  @BeforeEach
  void saveTheTestData() {
    server = fixture.server();
    RedisTestData.seed(server);
    server.redis(redis -> redis.save());
    rdb = server.data().resolve("dump.rdb");
    recorded =
        Map.of(
            "db0",
            new TableFingerprint(RedisTestData.DB0_KEYS, server.fingerprint(0)),
            "db3",
            new TableFingerprint(RedisTestData.DB3_KEYS, server.fingerprint(3)));
  }

  @Test
  void aServerStartedOnTheFileAfterItWasPlacedHoldsTheFilesKeySets() throws Exception {
    server.stop();
    LoadedRdb placed = placed();
    server.restart();

    assertThat(proven(placed)).isEqualTo(recorded);
  }

  @Test
  void aServerThatWasStartedBeforeTheFileWasPlacedShowsNothing() throws Exception {
    server.stop();
    server
        .restart(); // it loads the same file, but before the placing: it might as well be an older
    // one
    Thread.sleep(30); // past the clock tick of its start
    LoadedRdb placed = placed();

    assertThat(proven(placed)).isNull();
  }

  @Test
  void aServerHoldingAnotherCountThanTheFileShowsNothing() throws Exception {
    server.stop();
    LoadedRdb placed = placed();
    server.restart();
    server.redis(redis -> redis.set("written:after:the:start", "x"));

    assertThat(proven(placed)).isNull();
  }

  @Test
  void aFileWhoseKeySetIsNotTheBackupsShowsNothing() throws Exception {
    server.stop();
    LoadedRdb placed = placed();
    server.restart();
    recorded =
        Map.of(
            "db0",
            recorded.get("db0"),
            "db3",
            new TableFingerprint(RedisTestData.DB3_KEYS, KeySets.Formula.XXH64.fingerprint(42)));

    assertThat(proven(placed)).isNull();
  }

  private LoadedRdb placed() {
    LoadedRdb placed = LoadedRdb.reading(rdb);
    placed.cancel(); // read below, in the test's thread
    return placed;
  }

  private Map<String, TableFingerprint> proven(LoadedRdb placed) throws Exception {
    Map<Integer, RdbKeySets.Database> file = RdbKeySets.read(rdb, new AtomicLong());
    return server.redis(redis -> placed.proven(file, redis, recorded));
  }
}
