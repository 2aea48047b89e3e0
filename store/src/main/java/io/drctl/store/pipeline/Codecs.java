package io.drctl.store.pipeline;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/** Opens compressing and decompressing streams for a {@link Compression}. */
public final class Codecs {

  private Codecs() {}

  /** zstd workers: one per core when there is more than one (zstd-jni's -T). */
  static int zstdWorkers() {
    int cores = Runtime.getRuntime().availableProcessors();
    return cores > 1 ? cores : 0;
  }

  /**
   * A compressing stream into {@code out}. Closing it finishes the frame and closes {@code out}, so
   * pass a stream whose close does not end the object (a {@link HashingOutputStream}). {@link
   * StoringPipeline} uses this for gzip and none; for zstd it feeds {@code ZstdCompressCtx} whole
   * chunks instead ({@link ZstdChunkCompressor}), which is faster than this stream's 128 KiB calls.
   */
  public static OutputStream compress(Compression compression, int level, OutputStream out)
      throws IOException {
    return switch (compression) {
      case ZSTD -> {
        ZstdOutputStreamNoFinalizer z = new ZstdOutputStreamNoFinalizer(out);
        z.setLevel(level);
        z.setChecksum(true);
        z.setWorkers(zstdWorkers());
        z.setCloseFrameOnFlush(false);
        yield z;
      }
      case GZIP ->
          new GZIPOutputStream(out, 256 * 1024) {
            {
              def.setLevel(level == 0 ? Deflater.DEFAULT_COMPRESSION : level);
            }
          };
      case NONE -> new NonClosingOutputStream(out);
    };
  }

  /** A decompressing stream over {@code in}. */
  public static InputStream decompress(Compression compression, InputStream in) throws IOException {
    return switch (compression) {
      case ZSTD -> new BufferedInputStream(new ZstdInputStreamNoFinalizer(in), 256 * 1024);
      case GZIP -> new GZIPInputStream(in, 256 * 1024);
      case NONE -> in;
    };
  }

  private static final class NonClosingOutputStream extends java.io.FilterOutputStream {
    NonClosingOutputStream(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      out.flush();
    }
  }
}
