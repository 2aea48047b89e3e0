package io.drctl.store.pipeline;

import com.github.luben.zstd.EndDirective;
import com.github.luben.zstd.ZstdCompressCtx;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * zstd through {@link ZstdCompressCtx}'s streaming call, fed whole chunks (megabytes, not the 128
 * KiB of {@code ZstdOutputStream}) and writing straight into the pipeline's output chunks, so that
 * zstd's worker threads get full jobs and no bytes are copied in between. Parameters are zstd's
 * defaults for the level, as the CLI's {@code -3}, with the frame checksum on.
 */
final class ZstdChunkCompressor implements ChunkCompressor {
  private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

  private final ZstdCompressCtx ctx = new ZstdCompressCtx();
  private final StoredChunks out;
  private ByteBuffer target;
  private Chunk targetChunk;

  ZstdChunkCompressor(int level, int workers, StoredChunks out) {
    this.out = out;
    ctx.setLevel(level);
    ctx.setChecksum(true);
    ctx.setWorkers(workers);
  }

  @Override
  public void compress(byte[] raw, int length) throws IOException {
    ByteBuffer source = ByteBuffer.wrap(raw, 0, length);
    while (source.hasRemaining()) {
      call(source, EndDirective.CONTINUE);
    }
  }

  @Override
  public void finish() throws IOException {
    while (!call(EMPTY, EndDirective.END)) {
      // the output chunk filled up; the next call continues flushing
    }
    out.emit();
  }

  private boolean call(ByteBuffer source, EndDirective directive) throws IOException {
    Chunk chunk = out.current();
    if (chunk != targetChunk) {
      targetChunk = chunk;
      target = ByteBuffer.wrap(chunk.bytes);
    }
    target.position(chunk.length);
    boolean done;
    try {
      done = ctx.compressByteBufferStream(target, source, directive);
    } catch (RuntimeException e) {
      throw new IOException("zstd compression failed: " + e.getMessage(), e);
    }
    chunk.length = target.position();
    if (!target.hasRemaining()) {
      out.emit();
      return false;
    }
    return done;
  }

  @Override
  public void close() {
    ctx.close();
  }
}
