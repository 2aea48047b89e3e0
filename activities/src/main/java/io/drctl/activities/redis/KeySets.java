package io.drctl.activities.redis;

import io.drctl.store.catalog.BackupMetadata.TableFingerprint;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.CommandOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Key counts and key-set fingerprints per database, as a backup's metadata records them ({@code
 * db0} for database 0) and a restore compares them.
 *
 * <p>Keys are read with SCAN (never KEYS, which blocks the server), one pass per database, {@value
 * #COUNT} keys asked for per call. Each key name is hashed as its bytes arrive, on Lettuce's I/O
 * thread, without a copy ({@link HashingScanOutput}). The fingerprint is the sum modulo 2^64 of the
 * 64-bit hashes of the distinct names, named by its formula: {@code keyset-xxh64-sum64:<16 hex>}
 * ({@link Formula#XXH64}: XXH64, seed 0). Order does not matter; a missing, added or renamed key
 * changes it (unless two names' hashes collide, about 2^-64). SCAN may return a key twice: when a
 * pass returned as many names as the database holds, none came twice (SCAN returns every key
 * present throughout at least once), otherwise the hashes are sorted and counted once each.
 * Fingerprints of older backups ({@link Formula#SHA256}: the first 8 bytes of each name's SHA-256)
 * are still read and compared in their own formula.
 *
 * <p>A backup records a fingerprint only for what it can prove is its file's key set ({@link
 * #recorded}): no write between the moment the file holds and the end of the pass, and a database
 * without keys that expire (those may be gone by the time a restore loads them).
 */
final class KeySets {
  /** Keys asked for per SCAN call: a few milliseconds of the server's time each. */
  static final int COUNT = 10_000;

  /** How a key name becomes the 64 bits that are summed; its name prefixes every fingerprint. */
  enum Formula {
    /** XXH64 of the name, seed 0: the formula of new fingerprints. */
    XXH64("keyset-xxh64-sum64"),
    /** The first 8 bytes (big-endian) of the name's SHA-256: fingerprints recorded before XXH64. */
    SHA256("keyset-sha256-sum64");

    private final String label;

    Formula(String label) {
      this.label = label;
    }

    String label() {
      return label;
    }

    /** The formula of {@code recorded}'s fingerprints ({@link #XXH64} when it has none). */
    static Formula of(Map<String, TableFingerprint> recorded) {
      for (TableFingerprint set : recorded.values()) {
        if (set.checksum() != null) {
          return of(set.checksum());
        }
      }
      return XXH64;
    }

    static Formula of(String checksum) {
      for (Formula formula : values()) {
        if (checksum.startsWith(formula.label + ":")) {
          return formula;
        }
      }
      throw new IllegalArgumentException("unknown key-set fingerprint formula: " + checksum);
    }

    /**
     * The hash of the name in {@code bytes} from its position to its limit; leaves the buffer as it
     * was.
     */
    long hash(ByteBuffer bytes, MessageDigest sha256) {
      if (this == XXH64) {
        return xxh64(bytes, bytes.position(), bytes.remaining());
      }
      sha256.update(bytes.duplicate());
      return ByteBuffer.wrap(sha256.digest()).getLong();
    }

    String fingerprint(long sum) {
      return label + ":" + String.format("%016x", sum);
    }
  }

  private KeySets() {}

  /** What one SCAN pass returned of one database: a hash per name returned, duplicates included. */
  static final class Scanned {
    private long[] hashes;
    private int returned;

    Scanned(long expected) {
      hashes =
          new long
              [(int) Math.min(Math.max(expected + expected / 8 + 16, 16), Integer.MAX_VALUE - 8)];
    }

    void add(long hash) {
      if (returned == hashes.length) {
        hashes = Arrays.copyOf(hashes, (int) Math.min((long) returned * 2, Integer.MAX_VALUE - 8));
      }
      hashes[returned++] = hash;
    }

    /** Names returned, a name returned twice counted twice. */
    long returned() {
      return returned;
    }

    /**
     * Count and fingerprint of the distinct names. {@code expected} is how many the database was
     * known to hold: when the pass returned exactly that many, none came twice and nothing is
     * sorted.
     */
    TableFingerprint fingerprint(Formula formula, long expected) {
      long sum = 0;
      if (returned == expected) {
        for (int i = 0; i < returned; i++) {
          sum += hashes[i];
        }
        return new TableFingerprint(returned, formula.fingerprint(sum));
      }
      long[] sorted = Arrays.copyOf(hashes, returned);
      Arrays.sort(sorted);
      long distinct = 0;
      for (int i = 0; i < sorted.length; i++) {
        if (i == 0 || sorted[i] != sorted[i - 1]) {
          sum += sorted[i];
          distinct++;
        }
      }
      return new TableFingerprint(distinct, formula.fingerprint(sum));
    }
  }

  /**
   * One SCAN pass over each of {@code databases}; {@code progress} counts the names returned so far
   * (another thread may read it). Leaves the connection on database 0.
   */
  static Map<Integer, Scanned> scan(
      RedisCommands<byte[], byte[]> redis,
      Map<Integer, Long> databases,
      Formula formula,
      AtomicLong progress) {
    Map<Integer, Scanned> scanned = new LinkedHashMap<>();
    for (Map.Entry<Integer, Long> database : databases.entrySet()) {
      redis.select(database.getKey());
      Scanned keys = new Scanned(database.getValue());
      String cursor = "0";
      do {
        HashingScanOutput page = new HashingScanOutput(keys, formula);
        redis.dispatch(
            CommandType.SCAN,
            page,
            new CommandArgs<>(ByteArrayCodec.INSTANCE).add(cursor).add("COUNT").add(COUNT));
        cursor = Objects.requireNonNull(page.get(), "SCAN answered without a cursor");
        progress.addAndGet(page.names);
        if (Thread.currentThread().isInterrupted()) {
          throw new IllegalStateException("interrupted while scanning db" + database.getKey());
        }
      } while (!"0".equals(cursor));
      scanned.put(database.getKey(), keys);
    }
    redis.select(0);
    return scanned;
  }

  /**
   * The sets a backup records, per database that held keys when its file's contents were fixed
   * ({@code keyspace}, INFO keyspace read then): the count, and the fingerprint of {@code scanned}
   * where it is exactly that key set. It is when {@code quiet} (no write, save or eviction from
   * that moment until after the pass), the database had no key that expires, and the pass found as
   * many distinct names as it held.
   */
  static Map<String, TableFingerprint> recorded(
      RedisInfo keyspace, Map<Integer, Scanned> scanned, boolean quiet) {
    Map<String, TableFingerprint> sets = new LinkedHashMap<>();
    for (int database : keyspace.databases()) {
      long keys = keyspace.keys(database);
      Scanned pass = scanned.get(database);
      String checksum = null;
      if (quiet && keyspace.expiring(database) == 0 && pass != null) {
        TableFingerprint read = pass.fingerprint(Formula.XXH64, keys);
        checksum = read.rowCount() == keys ? read.checksum() : null;
      }
      sets.put("db" + database, new TableFingerprint(keys, checksum));
    }
    return sets;
  }

  /**
   * The loaded sets to compare with a backup's {@code recorded} ones: databases the backup has a
   * fingerprint of are scanned (in its formula); the others only counted (INFO keyspace).
   */
  static Map<String, TableFingerprint> loaded(
      RedisCommands<byte[], byte[]> redis,
      Map<String, TableFingerprint> recorded,
      AtomicLong progress) {
    RedisInfo keyspace = RedisInfo.parse(redis.info("keyspace"));
    Formula formula = Formula.of(recorded);
    Map<Integer, Long> compared = new LinkedHashMap<>();
    for (int database : keyspace.databases()) {
      TableFingerprint backup = recorded.get("db" + database);
      if (backup != null && backup.checksum() != null) {
        compared.put(database, backup.rowCount());
      }
    }
    Map<Integer, Scanned> scanned = scan(redis, compared, formula, progress);
    Map<String, TableFingerprint> sets = new LinkedHashMap<>();
    for (int database : keyspace.databases()) {
      Scanned pass = scanned.get(database);
      if (pass == null) {
        sets.put("db" + database, new TableFingerprint(keyspace.keys(database), null));
        continue;
      }
      TableFingerprint backup = recorded.get("db" + database);
      TableFingerprint read = pass.fingerprint(formula, backup.rowCount());
      if (!read.equals(backup) && pass.returned() == backup.rowCount()) {
        read = pass.fingerprint(formula, -1); // a name returned twice may have hidden a missing one
      }
      sets.put("db" + database, read);
    }
    return sets;
  }

  /** The keys in all databases of {@code sets}. */
  static long keys(Map<String, TableFingerprint> sets) {
    return sets.values().stream().mapToLong(TableFingerprint::rowCount).sum();
  }

  /**
   * What differs between a backup's recorded sets and the loaded ones, one line per database; empty
   * when they agree. Databases recorded without a fingerprint are not compared.
   */
  static List<String> differences(
      Map<String, TableFingerprint> recorded, Map<String, TableFingerprint> loaded) {
    return recorded.entrySet().stream()
        .filter(entry -> entry.getValue().checksum() != null)
        .filter(entry -> !Objects.equals(entry.getValue(), loaded.get(entry.getKey())))
        .map(
            entry ->
                entry.getKey()
                    + ": backup "
                    + entry.getValue().rowCount()
                    + " keys "
                    + entry.getValue().checksum()
                    + ", loaded "
                    + describe(loaded.get(entry.getKey())))
        .toList();
  }

  private static String describe(TableFingerprint loaded) {
    return loaded == null ? "no keys" : loaded.rowCount() + " keys " + loaded.checksum();
  }

  /**
   * A SCAN reply read as it arrives: the cursor, then each name hashed into {@link Scanned} from
   * Lettuce's buffer, so that a million names cost no million arrays. Used for one call.
   */
  static final class HashingScanOutput extends CommandOutput<byte[], byte[], String> {
    private final Scanned keys;
    private final Formula formula;
    private final MessageDigest sha256;
    private int names;

    HashingScanOutput(Scanned keys, Formula formula) {
      super(ByteArrayCodec.INSTANCE, null);
      this.keys = keys;
      this.formula = formula;
      this.sha256 = formula == Formula.SHA256 ? sha256() : null;
    }

    @Override
    public void set(ByteBuffer bytes) {
      if (output == null) {
        output = bytes == null ? "" : StandardCharsets.US_ASCII.decode(bytes).toString();
        return;
      }
      if (bytes != null) {
        keys.add(formula.hash(bytes, sha256));
        names++;
      }
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-256", e);
    }
  }

  private static final long P1 = 0x9E3779B185EBCA87L;
  private static final long P2 = 0xC2B2AE3D27D4EB4FL;
  private static final long P3 = 0x165667B19E3779F9L;
  private static final long P4 = 0x85EBCA77C2B2AE63L;
  private static final long P5 = 0x27D4EB2F165667C5L;

  /**
   * XXH64 with seed 0 of {@code length} bytes of {@code bytes} from {@code offset} (absolute
   * reads).
   */
  static long xxh64(ByteBuffer bytes, int offset, int length) {
    boolean swap = bytes.order() == ByteOrder.BIG_ENDIAN;
    int end = offset + length;
    int at = offset;
    long hash;
    if (length >= 32) {
      long v1 = P1 + P2;
      long v2 = P2;
      long v3 = 0;
      long v4 = -P1;
      do {
        v1 = round(v1, long64(bytes, at, swap));
        v2 = round(v2, long64(bytes, at + 8, swap));
        v3 = round(v3, long64(bytes, at + 16, swap));
        v4 = round(v4, long64(bytes, at + 24, swap));
        at += 32;
      } while (at <= end - 32);
      hash =
          Long.rotateLeft(v1, 1)
              + Long.rotateLeft(v2, 7)
              + Long.rotateLeft(v3, 12)
              + Long.rotateLeft(v4, 18);
      hash = merge(hash, v1);
      hash = merge(hash, v2);
      hash = merge(hash, v3);
      hash = merge(hash, v4);
    } else {
      hash = P5;
    }
    hash += length;
    for (; at + 8 <= end; at += 8) {
      hash ^= round(0, long64(bytes, at, swap));
      hash = Long.rotateLeft(hash, 27) * P1 + P4;
    }
    if (at + 4 <= end) {
      int word = bytes.getInt(at);
      hash ^= ((swap ? Integer.reverseBytes(word) : word) & 0xFFFFFFFFL) * P1;
      hash = Long.rotateLeft(hash, 23) * P2 + P3;
      at += 4;
    }
    for (; at < end; at++) {
      hash ^= (bytes.get(at) & 0xFFL) * P5;
      hash = Long.rotateLeft(hash, 11) * P1;
    }
    hash ^= hash >>> 33;
    hash *= P2;
    hash ^= hash >>> 29;
    hash *= P3;
    hash ^= hash >>> 32;
    return hash;
  }

  private static long long64(ByteBuffer bytes, int at, boolean swap) {
    long word = bytes.getLong(at);
    return swap ? Long.reverseBytes(word) : word;
  }

  private static long round(long accumulator, long input) {
    return Long.rotateLeft(accumulator + input * P2, 31) * P1;
  }

  private static long merge(long hash, long value) {
    return (hash ^ round(0, value)) * P1 + P4;
  }
}
