package io.drctl.store.pipeline;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Raw bytes in → SHA-256 of raw → compression → SHA-256 of stored → {@code sink}, in one pass on the
 * writer's thread (zstd adds its own worker threads). Memory is bounded by the compressor's window
 * and one 1 MiB buffer. {@link #finish()} completes the compressed stream without closing the sink.
 */
public final class StoringPipeline extends OutputStream {
  private final HashingOutputStream stored;
  private final OutputStream compressor;
  private final HashingOutputStream raw;
  private final OutputStream head;
  private boolean finished;

  public StoringPipeline(Compression compression, int level, OutputStream sink)
      throws IOException {
    this.stored = new HashingOutputStream(sink);
    this.compressor = Codecs.compress(compression, level, stored);
    this.raw = new HashingOutputStream(compressor);
    this.head = new BufferedOutputStream(raw, 1024 * 1024);
  }

  @Override
  public void write(int b) throws IOException {
    head.write(b);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    head.write(b, off, len);
  }

  /** Flushing is deferred to {@link #finish()}: a flush must not close a zstd frame. */
  @Override
  public void flush() {}

  /** Ends the compressed stream; the sink stays open. Idempotent. */
  public void finish() throws IOException {
    if (finished) {
      return;
    }
    finished = true;
    head.flush();
    compressor.close();
    stored.close();
  }

  /** Releases the compressor's native memory after a failure; no-op once finished. */
  public void discard() {
    if (finished) {
      return;
    }
    finished = true;
    try {
      compressor.close();
    } catch (IOException | RuntimeException ignored) {
      // the sink is being aborted anyway; only native buffers are released here
    }
  }

  /** Does nothing: call {@link #finish()} (so a producer closing its stream cannot commit). */
  @Override
  public void close() {}

  public long rawBytes() {
    return raw.count();
  }

  public String rawSha256() {
    return raw.sha256();
  }

  public long storedBytes() {
    return stored.count();
  }

  public String storedSha256() {
    return stored.sha256();
  }
}
