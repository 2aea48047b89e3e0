package io.drctl.store.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drctl.store.S3Credentials;
import io.drctl.store.StoreAccessDeniedException;
import io.drctl.store.StoreConfig;
import io.drctl.store.StoreException;
import io.drctl.store.TestData;
import io.drctl.store.object.ObjectInfo;
import io.drctl.store.object.ObjectOutput;
import io.drctl.store.object.ObjectStore;
import io.drctl.store.open.ObjectStores;
import io.drctl.testing.S3ProxyProcess;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against a real S3Proxy child process. */
class S3ObjectStoreTest {
  private static final int PART = 5 * 1024 * 1024;

  @TempDir static Path temp;
  static S3ProxyProcess s3;
  static StoreConfig config;

  @BeforeAll
  static void startS3Proxy() throws IOException {
    s3 = S3ProxyProcess.start(temp.resolve("s3"));
    config =
        StoreConfig.pathStyleS3(
                s3.createBucket("objects"),
                s3.endpoint(),
                s3.credentials().accessKeyId(),
                s3.credentials().secretAccessKey())
            .withPrefix("unit")
            .withTransfer(PART, 3, 4);
  }

  @AfterAll
  static void stopS3Proxy() {
    if (s3 != null) {
      s3.close();
    }
  }

  @Test
  void multipartUploadRoundTripsAndParallelRangedDownloadEqualsTheOriginal() throws IOException {
    byte[] data = TestData.bytes(4 * PART + 12345, 1);
    try (ObjectStore store = ObjectStores.open(config)) {
      ObjectInfo info = store.put("big/object.bin", new ByteArrayInputStream(data));
      assertThat(info.size()).isEqualTo(data.length);
      assertThat(store.head("big/object.bin"))
          .get()
          .extracting(ObjectInfo::size)
          .isEqualTo((long) data.length);
      try (InputStream in = store.get("big/object.bin")) {
        assertThat(in).isInstanceOf(S3ParallelInputStream.class);
        assertThat(TestData.sha256(in)).isEqualTo(TestData.sha256(data));
        assertThat(((S3ParallelInputStream) in).buffersAllocated())
            .as("4 ranges + 1 being read")
            .isLessThanOrEqualTo(5);
      }
      try (InputStream in = store.get("big/object.bin", PART - 10, 20)) {
        byte[] range = in.readAllBytes();
        assertThat(range).hasSize(20);
        assertThat(range[0]).isEqualTo(data[PART - 10]);
        assertThat(range[19]).isEqualTo(data[PART + 9]);
      }
      assertThat(store.list("big/")).extracting(ObjectInfo::key).containsExactly("big/object.bin");
    }
  }

  @Test
  void aStalledServerBlocksTheProducerAfterTheBoundedPartBuffersAreFull() throws Exception {
    java.util.concurrent.atomic.AtomicLong accepted = new java.util.concurrent.atomic.AtomicLong();
    try (ObjectStore store = ObjectStores.open(config)) {
      ObjectOutput out = store.create("stalled/object.bin");
      byte[] first = TestData.bytes(PART + 1024 * 1024, 5);
      out.write(first); // part 1 is on its way: the multipart upload exists
      accepted.addAndGet(first.length);
      Thread.sleep(500);
      s3.pause();
      java.util.concurrent.CompletableFuture<ObjectInfo> upload =
          java.util.concurrent.CompletableFuture.supplyAsync(
              () -> {
                try {
                  byte[] block = TestData.bytes(1024 * 1024, 5);
                  for (int i = 0; i < 34; i++) {
                    out.write(block);
                    accepted.addAndGet(block.length);
                  }
                  return out.commit();
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              });
      Thread.sleep(2500);
      long whileStalled = accepted.get();
      s3.resume();
      ObjectInfo info = upload.get(60, java.util.concurrent.TimeUnit.SECONDS);
      // 3 part buffers of 5 MiB: once they all wait on the stalled server the producer blocks
      // (part 1 may have finished before the stall: at most 1 + 3 parts accepted)
      assertThat(whileStalled).isLessThanOrEqualTo(4L * PART).isGreaterThanOrEqualTo(3L * PART);
      assertThat(info.size()).isEqualTo(40L * 1024 * 1024);
      assertThat(store.head("stalled/object.bin")).isPresent();
    } finally {
      if (s3.isAlive()) {
        s3.resume();
      }
    }
  }

  @Test
  void smallObjectIsASinglePutAndDeleteRemovesIt() throws IOException {
    try (ObjectStore store = ObjectStores.open(config)) {
      store.put("small/a.json", "{\"a\":1}".getBytes());
      assertThat(new String(store.read("small/a.json"))).isEqualTo("{\"a\":1}");
      assertThat(store.delete("small/a.json")).isTrue();
      assertThat(store.delete("small/a.json")).isFalse();
      assertThat(store.head("small/a.json")).isEmpty();
    }
  }

  @Test
  void abortedUploadLeavesNothingListed() throws IOException {
    try (ObjectStore store = ObjectStores.open(config)) {
      try (ObjectOutput out = store.create("aborted/x.bin")) {
        TestData.write(out, 2L * PART + 7, 2);
      }
      assertThat(store.list("aborted/")).isEmpty();
      assertThat(store.head("aborted/x.bin")).isEmpty();
    }
  }

  /** S3Proxy implements no SSE: its refusal proves the header is sent, and is not retried. */
  @Test
  void serverSideEncryptionSettingReachesTheServerAndRefusalIsNonRetryable() {
    StoreConfig encrypted = config.withServerSideEncryption("AES256", null);
    try (ObjectStore store = ObjectStores.open(encrypted)) {
      assertThat(store.encryption()).isEqualTo("AES256");
      assertThatThrownBy(() -> store.put("sse/small.bin", new byte[] {1}))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("Server-side encryption is not supported")
          .satisfies(e -> assertThat(((StoreException) e).retryable()).isFalse());
      assertThatThrownBy(
              () -> store.put("sse/big.bin", new ByteArrayInputStream(TestData.bytes(PART + 1, 4))))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("Server-side encryption is not supported");
      assertThat(store.list("sse/")).isEmpty();
    }
  }

  @Test
  void missingObjectIsBackupNotFound() {
    try (ObjectStore store = ObjectStores.open(config)) {
      assertThatThrownBy(() -> store.get("nothing/here"))
          .isInstanceOf(io.drctl.store.BackupNotFoundException.class)
          .hasMessageContaining("nothing/here");
    }
  }

  @Test
  void connectionRefusedIsRetryableUnavailable() {
    StoreConfig nowhere = config.withEndpoint(java.net.URI.create("http://127.0.0.1:9"), true);
    try (ObjectStore store = ObjectStores.open(nowhere)) {
      assertThatThrownBy(() -> store.head("x"))
          .isInstanceOf(StoreException.class)
          .satisfies(
              e -> {
                assertThat(((StoreException) e).kind()).isEqualTo(StoreException.Kind.UNAVAILABLE);
                assertThat(((StoreException) e).retryable()).isTrue();
              });
    }
  }

  @Test
  void wrongCredentialsAreNonRetryableAndTheMessageHasNoSecret() {
    String secret = "wrong-secret-" + System.nanoTime();
    StoreConfig wrong = config.withCredentials(new S3Credentials("AKIAWRONGKEY", secret));
    assertThat(wrong.toString()).doesNotContain(secret).doesNotContain("AKIAWRONGKEY");
    try (ObjectStore store = ObjectStores.open(wrong)) {
      assertThatThrownBy(() -> store.put("denied.bin", new byte[] {1, 2, 3}))
          .isInstanceOf(StoreAccessDeniedException.class)
          .satisfies(
              e -> {
                StoreException se = (StoreException) e;
                assertThat(se.retryable()).isFalse();
                assertThat(se.type()).isEqualTo("StoreAccessDenied");
                assertThat(se.getMessage()).doesNotContain(secret).contains("403");
              });
      assertThatThrownBy(() -> store.list(""))
          .isInstanceOf(StoreAccessDeniedException.class)
          .hasMessageNotContaining(secret);
    }
  }
}
