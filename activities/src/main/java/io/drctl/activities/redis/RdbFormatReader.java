package io.drctl.activities.redis;

import io.drctl.activities.redis.RdbKeySets.Unreadable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The RDB format's encodings over an {@link RdbInput}: lengths, strings (integer-encoded, LZF
 * compressed) and the skipping of a value of every type RDB versions 1 to 11 know, without decoding
 * it. What it does not know is {@link Unreadable}.
 */
final class RdbFormatReader {
  private static final int ENCODING_INT8 = 0;
  private static final int ENCODING_INT16 = 1;
  private static final int ENCODING_INT32 = 2;
  private static final int ENCODING_LZF = 3;

  private final RdbInput in;

  RdbFormatReader(RdbInput in) {
    this.in = in;
  }

  void skipValue(int type) throws IOException, Unreadable {
    switch (type) {
      case 0, 9, 10, 11, 12, 13, 16, 17, 20 ->
          skipString(); // string; ziplist, intset, listpack encodings
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
  void skipModuleValue() throws IOException, Unreadable {
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
  long length() throws IOException, Unreadable {
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

  void skipString() throws IOException, Unreadable {
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
  byte[] string() throws IOException, Unreadable {
    int first = in.peek();
    if (first >> 6 != 3) {
      return in.bytes(Math.toIntExact(length()));
    }
    in.unsigned();
    return switch (first & 0x3f) {
      case ENCODING_INT8 -> Long.toString((byte) in.unsigned()).getBytes(StandardCharsets.US_ASCII);
      case ENCODING_INT16 ->
          Long.toString((short) (in.unsigned() | in.unsigned() << 8))
              .getBytes(StandardCharsets.US_ASCII);
      case ENCODING_INT32 ->
          Long.toString(Integer.reverseBytes(in.int32())).getBytes(StandardCharsets.US_ASCII);
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
}
