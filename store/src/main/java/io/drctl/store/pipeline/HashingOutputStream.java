package io.drctl.store.pipeline;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;

/**
 * Counts and SHA-256-hashes bytes on their way to {@code out}; close does not close {@code out}.
 */
public final class HashingOutputStream extends FilterOutputStream {
  private final MessageDigest digest = Sha256.newDigest();
  private long count;
  private String hex;

  public HashingOutputStream(OutputStream out) {
    super(out);
  }

  @Override
  public void write(int b) throws IOException {
    out.write(b);
    digest.update((byte) b);
    count++;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    out.write(b, off, len);
    digest.update(b, off, len);
    count += len;
  }

  public long count() {
    return count;
  }

  /** The hex digest; call once, after the last write. */
  public String sha256() {
    if (hex == null) {
      hex = Sha256.hex(digest.digest());
    }
    return hex;
  }

  /** Flushes; the underlying stream stays open. */
  @Override
  public void close() throws IOException {
    out.flush();
  }
}
