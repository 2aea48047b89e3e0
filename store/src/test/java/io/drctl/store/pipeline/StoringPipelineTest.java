package io.drctl.store.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drctl.store.StoreFullException;
import io.drctl.store.TestData;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class StoringPipelineTest {
  private static final int CHUNK = StoringPipeline.CHUNK_SIZE;

  @ParameterizedTest
  @EnumSource(Compression.class)
  void manyChunksWrittenInOddPiecesComeOutCountedWithTheStoredChecksumAndDecompressToTheInput(
      Compression compression) throws Exception {
    byte[] raw = TestData.bytes(4 * CHUNK + 12_345, 11);
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    StoringPipeline pipeline = new StoringPipeline(compression, compression.defaultLevel(), sink);
    int offset = 0;
    for (int piece = 1; offset < raw.length; piece = piece * 7 % 1_000_003) {
      if (piece % 5 == 0) {
        pipeline.write(raw[offset++]);
        continue;
      }
      int n = Math.min(piece, raw.length - offset);
      pipeline.write(raw, offset, n);
      offset += n;
    }
    pipeline.finish();

    byte[] stored = sink.toByteArray();
    assertThat(pipeline.rawBytes()).isEqualTo(raw.length);
    assertThat(pipeline.storedBytes()).isEqualTo(stored.length);
    assertThat(pipeline.storedSha256()).isEqualTo(TestData.sha256(stored));
    try (InputStream in = Codecs.decompress(compression, new ByteArrayInputStream(stored))) {
      assertThat(TestData.sha256(in)).isEqualTo(TestData.sha256(raw));
    }
    assertThat(pipelineThreadsAlive()).isZero();
  }

  @Test
  void writeFromReadsAStreamToItsEndIntoTheChunks() throws Exception {
    byte[] raw = TestData.bytes(3 * CHUNK + 999, 12);
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    StoringPipeline pipeline = new StoringPipeline(Compression.ZSTD, 3, sink);
    pipeline.write(raw, 0, 10);
    assertThat(pipeline.writeFrom(new ByteArrayInputStream(raw, 10, raw.length - 10)))
        .isEqualTo(raw.length - 10);
    pipeline.finish();
    try (InputStream in =
        Codecs.decompress(Compression.ZSTD, new ByteArrayInputStream(sink.toByteArray()))) {
      assertThat(TestData.sha256(in)).isEqualTo(TestData.sha256(raw));
    }
    assertThat(pipelineThreadsAlive()).isZero();
  }

  @Test
  void anEmptyStreamIsAValidCompressedStream() throws IOException {
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    StoringPipeline pipeline = new StoringPipeline(Compression.ZSTD, 3, sink);
    pipeline.finish();
    assertThat(pipeline.rawBytes()).isZero();
    try (InputStream in =
        Codecs.decompress(Compression.ZSTD, new ByteArrayInputStream(sink.toByteArray()))) {
      assertThat(in.readAllBytes()).isEmpty();
    }
  }

  @Test
  void aFailingSinkAbortsTheWriteWithItsOwnExceptionAndEndsEveryStageThread() throws Exception {
    StoreFullException full = new StoreFullException("no space left on /backups");
    AtomicLong accepted = new AtomicLong();
    OutputStream sink =
        new OutputStream() {
          @Override
          public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
          }

          @Override
          public void write(byte[] b, int off, int len) {
            if (accepted.addAndGet(len) > 3L * CHUNK) {
              throw full;
            }
          }
        };
    StoringPipeline pipeline = new StoringPipeline(Compression.NONE, 0, sink);
    assertThatThrownBy(
            () -> {
              TestData.write(pipeline, 64L * CHUNK, 3);
              pipeline.finish();
            })
        .isSameAs(full);
    pipeline.discard();
    assertThat(pipelineThreadsAlive()).isZero();
    assertThatThrownBy(pipeline::finish).isSameAs(full);
  }

  @Test
  void aStalledSinkHoldsTheWriterBackWithinTheChunkBudgetAndDiscardReleasesIt() throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    OutputStream stalled =
        new OutputStream() {
          @Override
          public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
          }

          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            try {
              never.await();
            } catch (InterruptedException e) {
              throw new InterruptedIOException("sink interrupted");
            }
          }
        };
    StoringPipeline pipeline = new StoringPipeline(Compression.NONE, 0, stalled);
    AtomicLong written = new AtomicLong();
    AtomicReference<Throwable> writerFailure = new AtomicReference<>();
    Thread writer =
        new Thread(
            () -> {
              byte[] block = new byte[64 * 1024];
              try {
                while (true) {
                  pipeline.write(block);
                  written.addAndGet(block.length);
                }
              } catch (Throwable t) {
                writerFailure.set(t);
              }
            });
    writer.start();
    Thread.sleep(1000);
    long budget = (long) (StoringPipeline.RAW_CHUNKS + StoringPipeline.STORED_CHUNKS + 1) * CHUNK;
    assertThat(written.get())
        .as("bytes accepted while the sink is stalled")
        .isPositive()
        .isLessThanOrEqualTo(budget);
    assertThat(writer.isAlive()).isTrue();

    long start = System.nanoTime();
    pipeline.discard();
    writer.join(5000);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    assertThat(writer.isAlive()).isFalse();
    assertThat(writerFailure.get()).isInstanceOf(IOException.class);
    assertThat(pipelineThreadsAlive()).isZero();
  }

  private static long pipelineThreadsAlive() throws InterruptedException {
    long alive = 0;
    for (int attempt = 0; attempt < 50; attempt++) {
      alive =
          Thread.getAllStackTraces().keySet().stream()
              .filter(t -> t.getName().startsWith("store-pipeline-") && t.isAlive())
              .count();
      if (alive == 0) {
        return 0;
      }
      Thread.sleep(20);
    }
    return alive;
  }
}
