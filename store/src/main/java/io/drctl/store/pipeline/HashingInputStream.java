package io.drctl.store.pipeline;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/** Counts and SHA-256-hashes the bytes read through it. */
public final class HashingInputStream extends FilterInputStream {
  private final MessageDigest digest = Sha256.newDigest();
  private long count;

  public HashingInputStream(InputStream in) {
    super(in);
  }

  @Override
  public int read() throws IOException {
    int b = in.read();
    if (b >= 0) {
      digest.update((byte) b);
      count++;
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = in.read(b, off, len);
    if (n > 0) {
      digest.update(b, off, n);
      count += n;
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    byte[] buffer = new byte[8192];
    long left = n;
    while (left > 0) {
      int r = read(buffer, 0, (int) Math.min(buffer.length, left));
      if (r < 0) {
        break;
      }
      left -= r;
    }
    return n - left;
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  /** Reads the rest of the stream into the digest. */
  public void drain() throws IOException {
    byte[] buffer = new byte[64 * 1024];
    while (read(buffer, 0, buffer.length) >= 0) {
      // hashing only
    }
  }

  public long count() {
    return count;
  }

  /** The hex digest of everything read; call once. */
  public String sha256() {
    return Sha256.hex(digest.digest());
  }
}
