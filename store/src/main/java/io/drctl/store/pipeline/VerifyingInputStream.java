package io.drctl.store.pipeline;

import io.drctl.store.BackupCorruptException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Consumer;

/**
 * Stored bytes in → SHA-256 of stored (on a read-ahead thread, overlapping decompression) →
 * decompression → SHA-256 of raw → reader. At the end of the raw stream it reads any stored bytes
 * the decompressor left, and compares both digests (and the stored size) with the expected values;
 * a mismatch, or a decompression error, throws {@link BackupCorruptException} after calling {@code
 * onCorrupt} with the reason. A failure to read the stored bytes themselves is a retryable {@link
 * io.drctl.store.StoreException}, not corruption.
 */
public final class VerifyingInputStream extends FilterInputStream {
  private final HashingReadAhead stored;
  private final InputStream raw;
  private long rawCount;
  private final String name;
  private final long expectedStoredSize;
  private final String expectedStoredSha256;
  private final String expectedRawSha256;
  private final Consumer<String> onCorrupt;
  private boolean checked;

  /**
   * @param expectedRawSha256 null to skip hashing the decompressed bytes (the stored SHA-256 and
   *     the codec's own checksum — zstd frame checksum, gzip CRC-32 — still apply)
   * @param onCorrupt called once with the reason before the exception; may be a no-op
   */
  public VerifyingInputStream(
      String name,
      InputStream storedBytes,
      Compression compression,
      long expectedStoredSize,
      String expectedStoredSha256,
      String expectedRawSha256,
      Consumer<String> onCorrupt)
      throws IOException {
    super(null);
    this.name = name;
    this.stored = new HashingReadAhead(new StoreReadFailures(storedBytes, name), name);
    this.expectedStoredSize = expectedStoredSize;
    this.expectedStoredSha256 = expectedStoredSha256;
    this.expectedRawSha256 = expectedRawSha256;
    this.onCorrupt = onCorrupt;
    InputStream decompressed;
    try {
      decompressed = Codecs.decompress(compression, stored);
    } catch (IOException e) {
      stored.close();
      throw corrupt("its header does not decompress (" + e.getMessage() + ")", e);
    }
    this.raw = expectedRawSha256 == null ? decompressed : new HashingInputStream(decompressed);
    this.in = raw;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n;
    try {
      n = raw.read(b, off, len);
    } catch (BackupCorruptException e) {
      throw e;
    } catch (IOException e) {
      throw corrupt("it does not decompress (" + e.getMessage() + ")", e);
    }
    if (n > 0) {
      rawCount += n;
    }
    if (n < 0 && len > 0) {
      check();
    }
    return n;
  }

  private void check() throws IOException {
    if (checked) {
      return;
    }
    checked = true;
    stored.drain();
    String storedSha = stored.sha256();
    if (stored.count() != expectedStoredSize) {
      throw corrupt(
          "stored size is " + stored.count() + " bytes, metadata says " + expectedStoredSize, null);
    }
    if (!storedSha.equals(expectedStoredSha256)) {
      throw corrupt(
          "stored sha256 is " + storedSha + ", metadata says " + expectedStoredSha256, null);
    }
    if (expectedRawSha256 != null) {
      String rawSha = ((HashingInputStream) raw).sha256();
      if (!rawSha.equals(expectedRawSha256)) {
        throw corrupt("raw sha256 is " + rawSha + ", metadata says " + expectedRawSha256, null);
      }
    }
  }

  /** Raw bytes delivered so far. */
  public long rawBytes() {
    return rawCount;
  }

  private BackupCorruptException corrupt(String reason, Throwable cause) {
    String message = name + " is corrupt: " + reason;
    onCorrupt.accept(message);
    return new BackupCorruptException(message, cause);
  }
}
