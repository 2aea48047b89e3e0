package io.drctl.store.pipeline;

import java.io.IOException;
import java.io.OutputStream;

/** The compression stage of a {@link StoringPipeline}: raw chunks in, {@link StoredChunks} out. */
interface ChunkCompressor {

  void compress(byte[] raw, int length) throws IOException;

  /** Ends the compressed stream (the last chunks are emitted, not yet the end marker). */
  void finish() throws IOException;

  /** Releases native memory; called once by the compressing thread, whatever happened. */
  void close();

  static ChunkCompressor of(Compression compression, int level, StoredChunks out)
      throws IOException {
    return switch (compression) {
      case ZSTD -> new ZstdChunkCompressor(level, Codecs.zstdWorkers(), out);
      case GZIP, NONE -> new StreamCompressor(Codecs.compress(compression, level, out));
    };
  }

  /** A codec that is an OutputStream (gzip, none). */
  final class StreamCompressor implements ChunkCompressor {
    private final OutputStream stream;

    StreamCompressor(OutputStream stream) {
      this.stream = stream;
    }

    @Override
    public void compress(byte[] raw, int length) throws IOException {
      stream.write(raw, 0, length);
    }

    @Override
    public void finish() throws IOException {
      stream.close();
    }

    @Override
    public void close() {
      // nothing native; a failed gzip stream's Deflater is released by the GC
    }
  }
}
