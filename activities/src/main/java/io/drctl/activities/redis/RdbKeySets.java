package io.drctl.activities.redis;

import io.drctl.store.catalog.BackupMetadata.TableFingerprint;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The key sets of an RDB file, read from its bytes in one streaming pass: per database, the number
 * of keys, how many of them expire, and the fingerprint of their names in {@link KeySets}'s formula
 * ({@code keyset-xxh64-sum64}). Values are skipped, not decoded; key names are hashed as they come
 * (LZF-compressed ones after decompression, integer-encoded ones as Redis returns them: in
 * decimal).
 *
 * <p>Reads the formats of RDB versions 1 to 11 (Redis up to 7.2): every value type but those of
 * modules of the first format, and every opcode. A file it cannot read (a newer format, a type it
 * does not know) is {@link Unreadable}: the caller then reads the keys from the server instead. It
 * checks neither the file's CRC64 nor its values: redis-check-rdb does, before the file is used.
 */
public final class RdbKeySets {
  private static final int MAX_VERSION = 11;

  private static final int OPCODE_SLOT_INFO = 244;
  private static final int OPCODE_FUNCTION2 = 245;
  private static final int OPCODE_FUNCTION_PRE_GA = 246;
  private static final int OPCODE_MODULE_AUX = 247;
  private static final int OPCODE_IDLE = 248;
  private static final int OPCODE_FREQ = 249;
  private static final int OPCODE_AUX = 250;
  private static final int OPCODE_RESIZEDB = 251;
  private static final int OPCODE_EXPIRETIME_MS = 252;
  private static final int OPCODE_EXPIRETIME = 253;
  private static final int OPCODE_SELECTDB = 254;
  private static final int OPCODE_EOF = 255;

  private final RdbInput in;
  private final RdbFormatReader format;
  private final Map<Integer, Database> databases = new LinkedHashMap<>();

  /** The file could not be read as an RDB of a format this reader knows. */
  public static final class Unreadable extends Exception {
    Unreadable(String message) {
      super(message);
    }
  }

  /** What the file holds of one database. */
  public static final class Database {
    private long keys;
    private long expiring;
    private long sum;

    /** Keys in the database. */
    public long keys() {
      return keys;
    }

    /** Keys of it that expire. */
    public long expiring() {
      return expiring;
    }

    /** Count and key-set fingerprint ({@code keyset-xxh64-sum64}) of the database. */
    public TableFingerprint fingerprint() {
      return new TableFingerprint(keys, KeySets.Formula.XXH64.fingerprint(sum));
    }
  }

  private RdbKeySets(InputStream stream, AtomicLong progress) {
    this.in = new RdbInput(stream, progress);
    this.format = new RdbFormatReader(in);
  }

  /**
   * The databases of the RDB file {@code file} that hold keys, by number; {@code progress} counts
   * the keys read so far (another thread may read it).
   */
  public static Map<Integer, Database> read(Path file, AtomicLong progress)
      throws IOException, Unreadable {
    try (InputStream stream = Files.newInputStream(file)) {
      return new RdbKeySets(stream, progress).read();
    }
  }

  private Map<Integer, Database> read() throws IOException, Unreadable {
    byte[] magic = in.bytes(9);
    String header = new String(magic, StandardCharsets.US_ASCII);
    if (!header.startsWith("REDIS") || !header.substring(5).chars().allMatch(Character::isDigit)) {
      throw new Unreadable("not an RDB file");
    }
    int version = Integer.parseInt(header.substring(5));
    if (version < 1 || version > MAX_VERSION) {
      throw new Unreadable(
          "RDB version " + version + " is newer than this reader knows (" + MAX_VERSION + ")");
    }
    Database current = database(0);
    boolean expires = false;
    while (true) {
      int type = in.unsigned();
      switch (type) {
        case OPCODE_EOF -> {
          return databases;
        }
        case OPCODE_SELECTDB -> current = database(Math.toIntExact(format.length()));
        case OPCODE_RESIZEDB -> {
          format.length();
          format.length();
        }
        case OPCODE_EXPIRETIME_MS -> {
          in.skip(8);
          expires = true;
        }
        case OPCODE_EXPIRETIME -> {
          in.skip(4);
          expires = true;
        }
        case OPCODE_AUX -> {
          format.skipString();
          format.skipString();
        }
        case OPCODE_IDLE -> format.length();
        case OPCODE_FREQ -> in.skip(1);
        case OPCODE_MODULE_AUX -> {
          format.length();
          format.skipModuleValue();
        }
        case OPCODE_FUNCTION2 -> format.skipString();
        case OPCODE_SLOT_INFO -> {
          format.length();
          format.length();
          format.length();
        }
        case OPCODE_FUNCTION_PRE_GA ->
            throw new Unreadable("a function of a Redis 7.0 release candidate");
        default -> {
          hashKey(current);
          if (expires) {
            current.expiring++;
            expires = false;
          }
          format.skipValue(type);
          in.countKey();
        }
      }
    }
  }

  private Database database(int number) {
    return databases.computeIfAbsent(number, n -> new Database());
  }

  /**
   * Hashes the key name that comes next: in the read buffer when it is a plain string that fits.
   */
  private void hashKey(Database database) throws IOException, Unreadable {
    if (in.peek() >> 6 != 3) {
      int length = Math.toIntExact(format.length());
      if (in.ensure(length)) {
        database.sum += KeySets.xxh64(in.view, in.position, length);
        in.position += length;
      } else {
        byte[] bytes = in.bytes(length);
        database.sum += KeySets.xxh64(ByteBuffer.wrap(bytes), 0, length);
      }
    } else {
      byte[] bytes = format.string();
      database.sum += KeySets.xxh64(ByteBuffer.wrap(bytes), 0, bytes.length);
    }
    database.keys++;
  }
}
