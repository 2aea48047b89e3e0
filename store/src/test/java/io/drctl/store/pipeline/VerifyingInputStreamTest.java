package io.drctl.store.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drctl.store.BackupCorruptException;
import io.drctl.store.StoreException;
import io.drctl.store.TestData;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class VerifyingInputStreamTest {
  private static byte[] raw;
  private static byte[] stored;
  private static String rawSha;
  private static String storedSha;

  @BeforeAll
  static void compress() throws IOException {
    raw = TestData.bytes(6 * 1024 * 1024 + 77, 5);
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    StoringPipeline pipeline = new StoringPipeline(Compression.ZSTD, 3, sink);
    pipeline.write(raw);
    pipeline.finish();
    stored = sink.toByteArray();
    rawSha = TestData.sha256(raw);
    storedSha = pipeline.storedSha256();
  }

  private static InputStream open(InputStream storedBytes, List<String> corrupt)
      throws IOException {
    return new VerifyingInputStream(
        "backup b1", storedBytes, Compression.ZSTD, stored.length, storedSha, rawSha, corrupt::add);
  }

  @Test
  void intactBytesReadBackWithBothChecksumsChecked() throws IOException {
    List<String> corrupt = new ArrayList<>();
    try (InputStream in = open(new ByteArrayInputStream(stored), corrupt)) {
      assertThat(TestData.sha256(in)).isEqualTo(TestData.sha256(raw));
    }
    assertThat(corrupt).isEmpty();
  }

  @Test
  void aFlippedStoredByteIsCorruption() throws IOException {
    byte[] flipped = stored.clone();
    flipped[flipped.length / 2] ^= 0x10;
    List<String> corrupt = new ArrayList<>();
    try (InputStream in = open(new ByteArrayInputStream(flipped), corrupt)) {
      assertThatThrownBy(() -> in.transferTo(OutputStream.nullOutputStream()))
          .isInstanceOf(BackupCorruptException.class)
          .hasMessageContaining("backup b1 is corrupt");
    }
    assertThat(corrupt).hasSize(1);
  }

  @Test
  void aRawStreamThatFailsTheZstdFrameChecksumIsCorruptionWithoutARawSha256() throws IOException {
    byte[] badChecksum = stored.clone();
    badChecksum[badChecksum.length - 1] ^= 0x01; // the frame's content checksum: last 4 bytes
    List<String> corrupt = new ArrayList<>();
    try (InputStream in =
        new VerifyingInputStream(
            "backup b1",
            new ByteArrayInputStream(badChecksum),
            Compression.ZSTD,
            badChecksum.length,
            TestData.sha256(badChecksum),
            null,
            corrupt::add)) {
      assertThatThrownBy(() -> in.transferTo(OutputStream.nullOutputStream()))
          .isInstanceOf(BackupCorruptException.class)
          .hasMessageContaining("does not decompress");
    }
    assertThat(corrupt).hasSize(1);
  }

  @Test
  void aFailingDownloadIsARetryableStoreErrorNotCorruption() throws IOException {
    InputStream failing =
        new InputStream() {
          private int position;

          @Override
          public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
          }

          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            if (position > stored.length / 2) {
              throw new IOException("connection reset");
            }
            int n = Math.min(len, 4096);
            System.arraycopy(stored, position, b, off, n);
            position += n;
            return n;
          }
        };
    List<String> corrupt = new ArrayList<>();
    try (InputStream in = open(failing, corrupt)) {
      assertThatThrownBy(() -> in.transferTo(OutputStream.nullOutputStream()))
          .isInstanceOf(StoreException.class)
          .isNotInstanceOf(BackupCorruptException.class)
          .hasMessageContaining("connection reset")
          .satisfies(e -> assertThat(((StoreException) e).retryable()).isTrue());
    }
    assertThat(corrupt).isEmpty();
  }
}
