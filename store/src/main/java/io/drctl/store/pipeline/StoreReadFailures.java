package io.drctl.store.pipeline;

import io.drctl.store.StoreException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Turns I/O errors of the stored stream into retryable {@link StoreException}s, so that an
 * IOException above it can only come from decompression (corruption).
 */
final class StoreReadFailures extends FilterInputStream {
  private final String name;

  StoreReadFailures(InputStream in, String name) {
    super(in);
    this.name = name;
  }

  @Override
  public int read() throws IOException {
    try {
      return in.read();
    } catch (IOException e) {
      throw failure(e);
    }
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    try {
      return in.read(b, off, len);
    } catch (IOException e) {
      throw failure(e);
    }
  }

  @Override
  public long skip(long n) throws IOException {
    try {
      return in.skip(n);
    } catch (IOException e) {
      throw failure(e);
    }
  }

  private StoreException failure(IOException e) {
    return new StoreException(
        StoreException.Kind.IO, "reading " + name + " failed: " + e.getMessage(), e);
  }
}
