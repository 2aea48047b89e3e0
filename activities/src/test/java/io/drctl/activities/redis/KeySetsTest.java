package io.drctl.activities.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.drctl.store.catalog.BackupMetadata.TableFingerprint;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The key-set fingerprints a backup records and a restore compares, on a real redis-server: what
 * they detect (a key missing, added, renamed; a database emptied), what they ignore (order, names a
 * SCAN returned twice), the hash against XXH64's reference values, and older backups' SHA-256
 * fingerprints still compared in their own formula.
 */
class KeySetsTest {
  @RegisterExtension final RedisFixture fixture = RedisFixture.withAof();

  @Test
  void xxh64GivesTheReferenceValuesWhateverTheBufferOrderAndOffset() {
    Map<String, Long> reference =
        Map.of(
            "", 0xEF46DB3751D8E999L,
            "a", 0xD24EC4F1A98C6E5BL,
            "abc", 0x44BC2CF5AD770999L,
            "Nobody inspects the spammish repetition", 0xFBCEA83C8A378BF1L,
            "user:00000042:profile", 0xA449C844A471874AL);
    reference.forEach(
        (text, expected) -> {
          byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
          ByteBuffer padded = ByteBuffer.allocate(bytes.length + 7);
          padded.position(3);
          padded.put(bytes);
          padded.position(3).limit(3 + bytes.length);
          assertThat(KeySets.xxh64(ByteBuffer.wrap(bytes), 0, bytes.length))
              .as(text)
              .isEqualTo(expected);
          assertThat(KeySets.Formula.XXH64.hash(padded.order(ByteOrder.LITTLE_ENDIAN), null))
              .as(text)
              .isEqualTo(expected);
          assertThat(KeySets.Formula.XXH64.hash(padded.order(ByteOrder.BIG_ENDIAN), null))
              .as(text)
              .isEqualTo(expected);
          assertThat(padded.position()).isEqualTo(3);
        });
  }

  @Test
  void theFingerprintIgnoresOrderAndNamesReturnedTwice() {
    KeySets.Scanned once = new KeySets.Scanned(3);
    KeySets.Scanned twice = new KeySets.Scanned(0);
    for (long hash : new long[] {11, 22, 33}) {
      once.add(hash);
    }
    for (long hash : new long[] {33, 11, 22, 11, 33}) {
      twice.add(hash);
    }

    TableFingerprint expected = once.fingerprint(KeySets.Formula.XXH64, 3);

    assertThat(expected).isEqualTo(new TableFingerprint(3, "keyset-xxh64-sum64:0000000000000042"));
    assertThat(twice.fingerprint(KeySets.Formula.XXH64, 3)).isEqualTo(expected);
    assertThat(twice.returned()).isEqualTo(5);
  }

  @Test
  void aMissingAnAddedOrARenamedKeyOrAnEmptiedDatabaseIsADifferenceAndPuttingItBackIsNone() {
    RedisTestServer server = fixture.server();
    Map<String, TableFingerprint> recorded = recordedNow();

    assertThat(recorded).containsOnlyKeys("db0", "db3");
    assertThat(recorded.get("db0").rowCount()).isEqualTo(RedisTestData.DB0_KEYS);
    assertThat(recorded.get("db0").checksum()).startsWith("keyset-xxh64-sum64:");
    assertThat(recorded.get("db3").rowCount()).isEqualTo(RedisTestData.DB3_KEYS);
    assertThat(differences(recorded)).isEmpty();

    server.redis(redis -> redis.del("user:7"));
    assertThat(differences(recorded))
        .singleElement()
        .asString()
        .startsWith("db0: backup 202 keys keyset-xxh64-sum64:")
        .contains("loaded 201 keys");
    server.redis(redis -> redis.set("user:7", "value-7"));
    assertThat(differences(recorded)).isEmpty();

    server.redis(redis -> redis.set("written:after:backup", "x"));
    assertThat(differences(recorded)).singleElement().asString().contains("loaded 203 keys");
    server.redis(redis -> redis.del("written:after:backup"));

    server.redis(redis -> redis.rename("user:7", "user:7:renamed"));
    List<String> renamed = differences(recorded);
    assertThat(renamed)
        .singleElement()
        .asString()
        .contains("backup 202 keys")
        .contains("loaded 202 keys");
    server.redis(redis -> redis.rename("user:7:renamed", "user:7"));

    server.redis(
        redis -> {
          redis.select(3);
          return redis.flushdb();
        });
    assertThat(differences(recorded))
        .containsExactly(
            "db3: backup 20 keys " + recorded.get("db3").checksum() + ", loaded no keys");
  }

  @Test
  void aDatabaseWithKeysThatExpireIsCountedButNotFingerprinted() {
    fixture
        .server()
        .redis(
            redis -> {
              redis.select(3);
              return redis.expire("session:1", 3600);
            });

    Map<String, TableFingerprint> recorded = recordedNow();

    assertThat(recorded.get("db3")).isEqualTo(new TableFingerprint(RedisTestData.DB3_KEYS, null));
    assertThat(recorded.get("db0").checksum()).isNotNull();
  }

  @Test
  void aFingerprintOfAnOlderBackupIsComparedInItsSha256Formula() throws Exception {
    // The formula as backups before XXH64 recorded it: the first 8 bytes of each name's SHA-256,
    // summed.
    MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
    long sum = 0;
    for (String key : fixture.server().keys(0)) {
      sum += ByteBuffer.wrap(sha256.digest(key.getBytes(StandardCharsets.UTF_8))).getLong();
    }
    Map<String, TableFingerprint> older = new LinkedHashMap<>();
    older.put(
        "db0",
        new TableFingerprint(
            RedisTestData.DB0_KEYS, String.format("keyset-sha256-sum64:%016x", sum)));

    assertThat(bytes(redis -> KeySets.loaded(redis, older, new AtomicLong())).get("db0"))
        .isEqualTo(older.get("db0"));
    assertThat(
            KeySets.differences(
                older, bytes(redis -> KeySets.loaded(redis, older, new AtomicLong()))))
        .isEmpty();
    fixture.server().redis(redis -> redis.del("user:3"));
    assertThat(
            KeySets.differences(
                older, bytes(redis -> KeySets.loaded(redis, older, new AtomicLong()))))
        .hasSize(1);
  }

  @Test
  void aPassOverManyPagesCountsEveryKeyOnce() {
    fixture
        .server()
        .redis(
            redis -> {
              Map<String, String> many = new LinkedHashMap<>();
              for (int i = 0; i < 3 * KeySets.COUNT; i++) {
                many.put("bulk:" + i, "v");
              }
              return redis.mset(many);
            });

    Map<String, TableFingerprint> recorded = recordedNow();

    assertThat(recorded.get("db0").rowCount())
        .isEqualTo(RedisTestData.DB0_KEYS + 3 * KeySets.COUNT);
    assertThat(recorded.get("db0").checksum()).isNotNull();
    assertThat(differences(recorded)).isEmpty();
  }

  /** What a backup taken now, with no write meanwhile, records. */
  private Map<String, TableFingerprint> recordedNow() {
    PersistenceWaits waits = new PersistenceWaits(RedisOptions.from(Map.of()), null);
    PersistenceWaits.Counters before = fixture.server().redis(waits::counters);
    Map<Integer, Long> databases = new LinkedHashMap<>();
    before
        .keyspace()
        .databases()
        .forEach(database -> databases.put(database, before.keyspace().keys(database)));
    Map<Integer, KeySets.Scanned> scanned =
        bytes(redis -> KeySets.scan(redis, databases, KeySets.Formula.XXH64, new AtomicLong()));
    PersistenceWaits.Counters after = fixture.server().redis(waits::counters);
    assertThat(before.quietUntil(after)).isTrue();
    return KeySets.recorded(before.keyspace(), scanned, true);
  }

  private List<String> differences(Map<String, TableFingerprint> recorded) {
    return KeySets.differences(
        recorded, bytes(redis -> KeySets.loaded(redis, recorded, new AtomicLong())));
  }

  private <T> T bytes(Function<RedisCommands<byte[], byte[]>, T> work) {
    RedisClient client =
        RedisClient.create(
            RedisURI.builder()
                .withHost("127.0.0.1")
                .withPort(fixture.server().port())
                .withPassword(RedisTestServer.PASSWORD.toCharArray())
                .withTimeout(Duration.ofSeconds(30))
                .build());
    try (StatefulRedisConnection<byte[], byte[]> connection =
        client.connect(ByteArrayCodec.INSTANCE)) {
      return work.apply(connection.sync());
    } finally {
      client.shutdown();
    }
  }
}
