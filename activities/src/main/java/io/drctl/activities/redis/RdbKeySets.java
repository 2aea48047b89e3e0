package io.drctl.activities.redis;

import io.drctl.store.catalog.BackupMetadata.TableFingerprint;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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

  private static final int ENCODING_INT8 = 0;
  private static final int ENCODING_INT16 = 1;
  private static final int ENCODING_INT32 = 2;
  private static final int ENCODING_LZF = 3;

  private final Input in;
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
    this.in = new Input(stream, progress);
  }

  /**
   * The databases of the RDB file {@code file} that hold keys, by number; {@code progress} counts
   * the keys read so far (another thread may read it).
   */
  public static Map<Integer, Database> read(Path file, AtomicLong progress) throws IOException, Unreadable {
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
      throw new Unreadable("RDB version " + version + " is newer than this reader knows (" + MAX_VERSION + ")");
    }
    Database current = database(0);
    boolean expires = false;
    while (true) {
      int type = in.unsigned();
      switch (type) {
        case OPCODE_EOF -> {
          return databases;
        }
        case OPCODE_SELECTDB -> current = database(Math.toIntExact(length()));
        case OPCODE_RESIZEDB -> {
          length();
          length();
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
          skipString();
          skipString();
        }
        case OPCODE_IDLE -> length();
        case OPCODE_FREQ -> in.skip(1);
        case OPCODE_MODULE_AUX -> {
          length();
          skipModuleValue();
        }
        case OPCODE_FUNCTION2 -> skipString();
        case OPCODE_SLOT_INFO -> {
          length();
          length();
          length();
        }
        case OPCODE_FUNCTION_PRE_GA -> throw new Unreadable("a function of a Redis 7.0 release candidate");
        default -> {
          hashKey(current);
          if (expires) {
            current.expiring++;
            expires = false;
          }
          skipValue(type);
          in.progress.incrementAndGet();
        }
      }
    }
  }

  private Database database(int number) {
    return databases.computeIfAbsent(number, n -> new Database());
  }

  /** Hashes the key name that comes next: in the read buffer when it is a plain string that fits. */
  private void hashKey(Database database) throws IOException, Unreadable {
    if (in.peek() >> 6 != 3) {
      int length = Math.toIntExact(length());
      if (in.ensure(length)) {
        database.sum += KeySets.xxh64(in.view, in.position, length);
        in.position += length;
      } else {
        byte[] bytes = in.bytes(length);
        database.sum += KeySets.xxh64(ByteBuffer.wrap(bytes), 0, length);
      }
    } else {
      byte[] bytes = string();
      database.sum += KeySets.xxh64(ByteBuffer.wrap(bytes), 0, bytes.length);
    }
    database.keys++;
  }

  private void skipValue(int type) throws IOException, Unreadable {
    switch (type) {
      case 0, 9, 10, 11, 12, 13, 16, 17, 20 -> skipString(); // string; ziplist, intset, listpack encodings
      case 1, 2 -> skipStrings(length()); // list, set
      case 3 -> { // zset with scores as text
        for (long i = length(); i > 0; i--) {
          skipString();
          int size = in.unsigned();
          if (size < 253) {
            in.skip(size);
          }
        }
      }
      case 4 -> skipStrings(2 * length()); // hash
      case 5 -> { // zset with binary scores
        for (long i = length(); i > 0; i--) {
          skipString();
          in.skip(8);
        }
      }
      case 7 -> { // module, second format: self-describing
        length();
        skipModuleValue();
      }
      case 14 -> skipStrings(length()); // quicklist of ziplists
      case 18 -> { // quicklist of listpacks
        for (long i = length(); i > 0; i--) {
          length();
          skipString();
        }
      }
      case 15, 19, 21 -> skipStream(type);
      default -> throw new Unreadable("value type " + type + " is not one this reader knows");
    }
  }

  private void skipStream(int type) throws IOException, Unreadable {
    skipStrings(2 * length()); // listpacks: master id and listpack each
    length(); // items
    length(); // last id
    length();
    if (type >= 19) {
      length(); // first id
      length();
      length(); // max deleted id
      length();
      length(); // entries added
    }
    for (long groups = length(); groups > 0; groups--) {
      skipString();
      length(); // last id
      length();
      if (type >= 19) {
        length(); // entries read
      }
      for (long pending = length(); pending > 0; pending--) {
        in.skip(16 + 8); // id, delivery time
        length(); // delivery count
      }
      for (long consumers = length(); consumers > 0; consumers--) {
        skipString();
        in.skip(type >= 21 ? 16 : 8); // seen time, and active time
        in.skip(16 * length()); // pending ids
      }
    }
  }

  /** A module value of the second format: opcodes, each with its value, up to an EOF opcode. */
  private void skipModuleValue() throws IOException, Unreadable {
    while (true) {
      long opcode = length();
      switch ((int) opcode) {
        case 0 -> {
          return;
        }
        case 1, 2 -> length();
        case 3 -> in.skip(4);
        case 4 -> in.skip(8);
        case 5 -> skipString();
        default -> throw new Unreadable("module value opcode " + opcode);
      }
    }
  }

  private void skipStrings(long count) throws IOException, Unreadable {
    for (long i = 0; i < count; i++) {
      skipString();
    }
  }

  /** An RDB length; an encoded string's marker is read by {@link #string} instead. */
  private long length() throws IOException, Unreadable {
    int first = in.unsigned();
    switch (first >> 6) {
      case 0:
        return first & 0x3f;
      case 1:
        return ((first & 0x3f) << 8) | in.unsigned();
      case 2:
        if (first == 0x80) {
          return in.int32() & 0xffffffffL;
        }
        if (first == 0x81) {
          return in.int64();
        }
        throw new Unreadable("length marker " + first);
      default:
        throw new Unreadable("an encoded value where a length was expected");
    }
  }

  private void skipString() throws IOException, Unreadable {
    int first = in.peek();
    if (first >> 6 != 3) {
      in.skip(length());
      return;
    }
    in.unsigned();
    switch (first & 0x3f) {
      case ENCODING_INT8 -> in.skip(1);
      case ENCODING_INT16 -> in.skip(2);
      case ENCODING_INT32 -> in.skip(4);
      case ENCODING_LZF -> {
        long compressed = length();
        length();
        in.skip(compressed);
      }
      default -> throw new Unreadable("string encoding " + (first & 0x3f));
    }
  }

  /** A string as Redis holds it: integer encodings in decimal, LZF decompressed. */
  private byte[] string() throws IOException, Unreadable {
    int first = in.peek();
    if (first >> 6 != 3) {
      return in.bytes(Math.toIntExact(length()));
    }
    in.unsigned();
    return switch (first & 0x3f) {
      case ENCODING_INT8 -> Long.toString((byte) in.unsigned()).getBytes(StandardCharsets.US_ASCII);
      case ENCODING_INT16 -> Long.toString((short) (in.unsigned() | in.unsigned() << 8))
          .getBytes(StandardCharsets.US_ASCII);
      case ENCODING_INT32 -> Long.toString(Integer.reverseBytes(in.int32())).getBytes(StandardCharsets.US_ASCII);
      case ENCODING_LZF -> {
        int compressed = Math.toIntExact(length());
        int length = Math.toIntExact(length());
        yield lzf(in.bytes(compressed), length);
      }
      default -> throw new Unreadable("string encoding " + (first & 0x3f));
    };
  }

  /** LZF decompression, as Redis's lzf_d.c. */
  static byte[] lzf(byte[] in, int length) throws Unreadable {
    byte[] out = new byte[length];
    int i = 0;
    int o = 0;
    try {
      while (i < in.length) {
        int control = in[i++] & 0xff;
        if (control < 32) {
          int literal = control + 1;
          System.arraycopy(in, i, out, o, literal);
          i += literal;
          o += literal;
        } else {
          int run = control >> 5;
          if (run == 7) {
            run += in[i++] & 0xff;
          }
          int back = o - ((control & 0x1f) << 8) - 1 - (in[i++] & 0xff);
          if (back < 0) {
            throw new Unreadable("LZF reference before the start");
          }
          for (int end = o + run + 2; o < end; o++) {
            out[o] = out[back++];
          }
        }
      }
    } catch (IndexOutOfBoundsException e) {
      throw new Unreadable("LZF data does not decompress to " + length + " bytes");
    }
    if (o != length) {
      throw new Unreadable("LZF data decompressed to " + o + " bytes, not " + length);
    }
    return out;
  }

  /** The file's bytes through a buffer of its own: a byte at a time costs no call into a stream. */
  private static final class Input {
    private final InputStream stream;
    private final AtomicLong progress;
    private final byte[] buffer = new byte[1 << 20];
    /** The buffer, for hashing in place. */
    final ByteBuffer view = ByteBuffer.wrap(buffer).order(ByteOrder.LITTLE_ENDIAN);
    int position;
    private int limit;

    Input(InputStream stream, AtomicLong progress) {
      this.stream = stream;
      this.progress = progress;
    }

    private void fill() throws IOException {
      int read = stream.read(buffer, 0, buffer.length);
      if (read < 0) {
        throw new EOFException("the RDB file ends before its EOF opcode");
      }
      position = 0;
      limit = read;
    }

    /** Whether the next {@code count} bytes are in the buffer from {@link #position} (read in if they fit). */
    boolean ensure(int count) throws IOException {
      if (count > buffer.length) {
        return false;
      }
      if (limit - position < count) {
        System.arraycopy(buffer, position, buffer, 0, limit - position);
        limit -= position;
        position = 0;
        while (limit < count) {
          int read = stream.read(buffer, limit, buffer.length - limit);
          if (read < 0) {
            throw new EOFException("the RDB file ends before its EOF opcode");
          }
          limit += read;
        }
      }
      return true;
    }

    int peek() throws IOException {
      if (position == limit) {
        fill();
      }
      return buffer[position] & 0xff;
    }

    int unsigned() throws IOException {
      if (position == limit) {
        fill();
      }
      return buffer[position++] & 0xff;
    }

    int int32() throws IOException {
      return unsigned() << 24 | unsigned() << 16 | unsigned() << 8 | unsigned();
    }

    long int64() throws IOException {
      return (long) int32() << 32 | (int32() & 0xffffffffL);
    }

    void skip(long count) throws IOException {
      long left = count;
      while (left > 0) {
        if (position == limit) {
          fill();
        }
        int step = (int) Math.min(left, limit - position);
        position += step;
        left -= step;
      }
    }

    byte[] bytes(int count) throws IOException {
      byte[] bytes = new byte[count];
      int at = 0;
      while (at < count) {
        if (position == limit) {
          fill();
        }
        int step = Math.min(count - at, limit - position);
        System.arraycopy(buffer, position, bytes, at, step);
        position += step;
        at += step;
      }
      return bytes;
    }
  }
}
