package io.drctl.activities.redis;

import io.drctl.store.catalog.BackupMetadata.TableFingerprint;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Key counts and key-set fingerprints per database, as a backup's metadata records them ({@code
 * db0} for database 0) and a restore compares them. Keys are read with SCAN (never KEYS, which
 * blocks the server), which may return a key twice: each key's name is hashed to 64 bits (the
 * first 8 bytes of its SHA-256), the hashes are sorted and deduplicated, and the fingerprint is
 * their sum modulo 2^64, named by its formula: {@value #FORMULA}{@code :<16 hex>}. Order does not
 * matter, a missing, added or renamed key changes it.
 *
 * <p>A database with keys that expire records its count but no fingerprint: its keys may be gone
 * by the time a restore loads them, so there is nothing exact to compare.
 */
final class KeySets {
  static final String FORMULA = "keyset-sha256-sum64";
  private static final int PAGE = 1000;

  private KeySets() {}

  /** Every database's count and fingerprint, now. */
  static Map<String, TableFingerprint> read(RedisCommands<byte[], byte[]> redis, RedisHeartbeat heartbeat) {
    RedisInfo keyspace = RedisInfo.parse(redis.info("keyspace"));
    Map<String, TableFingerprint> sets = new LinkedHashMap<>();
    for (int database : keyspace.databases()) {
      redis.select(database);
      long[] hashes = scan(redis, heartbeat, "scanning keys of db" + database);
      boolean exact = keyspace.expiring(database) == 0;
      sets.put("db" + database, new TableFingerprint(hashes.length, exact ? fingerprint(hashes) : null));
    }
    redis.select(0);
    return sets;
  }

  /** The keys in all databases of {@code sets}. */
  static long keys(Map<String, TableFingerprint> sets) {
    return sets.values().stream().mapToLong(TableFingerprint::rowCount).sum();
  }

  /**
   * {@code recorded} where it holds a fingerprint for a database, and no fingerprint where the two
   * reads differ: what was read before and after copying a backup agrees only when no key came or
   * went meanwhile, and then it is exactly the copy's key set.
   */
  static Map<String, TableFingerprint> stable(Map<String, TableFingerprint> before, Map<String, TableFingerprint> after) {
    Map<String, TableFingerprint> stable = new LinkedHashMap<>();
    after.forEach((database, read) -> stable.put(database, read.equals(before.get(database)) ? read
        : new TableFingerprint(read.rowCount(), null)));
    return stable;
  }

  /**
   * What differs between a backup's recorded sets and the loaded ones, one line per database;
   * empty when they agree. Databases recorded without a fingerprint are not compared.
   */
  static List<String> differences(Map<String, TableFingerprint> recorded, Map<String, TableFingerprint> loaded) {
    return recorded.entrySet().stream()
        .filter(entry -> entry.getValue().checksum() != null)
        .filter(entry -> !Objects.equals(entry.getValue(), loaded.get(entry.getKey())))
        .map(entry -> entry.getKey() + ": backup " + entry.getValue().rowCount() + " keys "
            + entry.getValue().checksum() + ", loaded " + describe(loaded.get(entry.getKey())))
        .toList();
  }

  private static String describe(TableFingerprint loaded) {
    return loaded == null ? "no keys" : loaded.rowCount() + " keys " + loaded.checksum();
  }

  private static long[] scan(RedisCommands<byte[], byte[]> redis, RedisHeartbeat heartbeat, String phase) {
    MessageDigest sha256 = sha256();
    long[] hashes = new long[1024];
    int count = 0;
    ScanCursor cursor = ScanCursor.INITIAL;
    long nextBeat = 0;
    do {
      KeyScanCursor<byte[]> page = redis.scan(cursor, ScanArgs.Builder.limit(PAGE));
      for (byte[] key : page.getKeys()) {
        if (count == hashes.length) {
          hashes = Arrays.copyOf(hashes, count * 2);
        }
        hashes[count++] = ByteBuffer.wrap(sha256.digest(key)).getLong();
      }
      if (System.nanoTime() > nextBeat) {
        heartbeat.beat(phase, count);
        nextBeat = System.nanoTime() + 1_000_000_000L;
      }
      cursor = page;
    } while (!cursor.isFinished());
    long[] sorted = Arrays.copyOf(hashes, count);
    Arrays.sort(sorted);
    return Arrays.stream(sorted).distinct().toArray();
  }

  private static String fingerprint(long[] hashes) {
    long sum = 0;
    for (long hash : hashes) {
      sum += hash;
    }
    return FORMULA + ":" + String.format("%016x", sum);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-256", e);
    }
  }
}
