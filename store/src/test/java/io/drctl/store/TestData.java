package io.drctl.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;

/** Deterministic test content: half random, half repetitive, so every codec has work to do. */
public final class TestData {

  private TestData() {}

  public static byte[] bytes(int size, long seed) {
    byte[] data = new byte[size];
    Random random = new Random(seed);
    random.nextBytes(data);
    for (int i = 0; i < size; i += 2048) {
      for (int j = i; j < Math.min(size, i + 1024); j++) {
        data[j] = (byte) ('a' + (j % 13));
      }
    }
    return data;
  }

  /** Writes {@code size} bytes of the same pattern as {@link #bytes} without holding them. */
  public static void write(OutputStream out, long size, long seed) throws IOException {
    byte[] block = bytes(1024 * 1024, seed);
    long left = size;
    while (left > 0) {
      int n = (int) Math.min(block.length, left);
      out.write(block, 0, n);
      left -= n;
    }
  }

  public static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String sha256(InputStream in) throws IOException {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[64 * 1024];
      for (int n; (n = in.read(buffer)) >= 0; ) {
        digest.update(buffer, 0, n);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
