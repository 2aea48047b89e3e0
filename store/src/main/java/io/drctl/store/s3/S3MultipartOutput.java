package io.drctl.store.s3;

import io.drctl.store.StoreException;
import io.drctl.store.object.ObjectInfo;
import io.drctl.store.object.ObjectOutput;
import io.drctl.store.pipeline.Sha256;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * A streamed multipart upload with a fixed number of part buffers. The producer fills one buffer; a
 * full buffer is uploaded on a transfer thread while the producer fills the next; when all {@code
 * uploadParallelism} buffers are in use the producer blocks (back-pressure). An object smaller than
 * one part is a single PutObject. Every part carries its SHA-256.
 */
final class S3MultipartOutput extends ObjectOutput {
  private static final Logger log = LoggerFactory.getLogger(S3MultipartOutput.class);
  private static final int FIRST_BUFFER = 64 * 1024;

  private final S3ObjectStore store;
  private final String key;
  private final String fullKey;
  private final int partSize;
  private final Semaphore buffers;
  private final ConcurrentLinkedQueue<byte[]> freeBuffers = new ConcurrentLinkedQueue<>();
  private final List<Future<CompletedPart>> parts = new ArrayList<>();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private byte[] current;
  private int filled;
  private String uploadId;
  private long written;
  private boolean committed;
  private boolean aborted;

  S3MultipartOutput(S3ObjectStore store, String key) {
    this.store = store;
    this.key = key;
    this.fullKey = store.fullKey(key);
    this.partSize = store.config().partSizeBytes();
    this.buffers = new Semaphore(store.config().uploadParallelism());
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    ensureOpen();
    int offset = off;
    int left = len;
    while (left > 0) {
      if (current == null) {
        acquireBuffer(left);
      } else if (filled == current.length && current.length < partSize) {
        grow();
      }
      int n = Math.min(left, current.length - filled);
      System.arraycopy(b, offset, current, filled, n);
      filled += n;
      offset += n;
      left -= n;
      written += n;
      if (filled == partSize) {
        submitPart();
      }
    }
  }

  private void ensureOpen() throws IOException {
    if (committed || aborted) {
      throw new IOException("the upload of " + key + " is already committed or aborted");
    }
    rethrowFailure();
  }

  private void rethrowFailure() {
    Throwable t = failure.get();
    if (t != null) {
      abort();
      throw S3Failures.classify(store.describe(), "upload", key, t);
    }
  }

  private void acquireBuffer(int wanted) throws IOException {
    try {
      buffers.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      abort();
      throw new InterruptedIOException("interrupted while uploading " + key);
    }
    if (failure.get() != null) {
      buffers.release();
      rethrowFailure();
    }
    byte[] reused = freeBuffers.poll();
    current =
        reused != null
            ? reused
            : new byte
                [uploadId == null ? Math.min(partSize, Math.max(FIRST_BUFFER, wanted)) : partSize];
    filled = 0;
  }

  private void grow() {
    byte[] bigger = new byte[(int) Math.min(partSize, (long) current.length * 4)];
    System.arraycopy(current, 0, bigger, 0, filled);
    current = bigger;
  }

  private void submitPart() {
    if (uploadId == null) {
      startMultipart();
    }
    int partNumber = parts.size() + 1;
    byte[] buffer = current;
    int length = filled;
    current = null;
    filled = 0;
    parts.add(
        store
            .transfers()
            .submit(
                () -> {
                  try {
                    return uploadPart(partNumber, buffer, length);
                  } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                    throw e;
                  } finally {
                    if (buffer.length == partSize) {
                      freeBuffers.add(buffer);
                    }
                    buffers.release();
                  }
                }));
  }

  private void startMultipart() {
    CreateMultipartUploadRequest.Builder request =
        CreateMultipartUploadRequest.builder()
            .bucket(store.bucket())
            .key(fullKey)
            .checksumAlgorithm(ChecksumAlgorithm.SHA256);
    encryption(request);
    try {
      uploadId = store.client().createMultipartUpload(request.build()).uploadId();
    } catch (RuntimeException e) {
      aborted = true;
      throw S3Failures.classify(store.describe(), "upload", key, e);
    }
  }

  private void encryption(CreateMultipartUploadRequest.Builder request) {
    String sse = store.config().serverSideEncryption();
    if (sse != null) {
      request.serverSideEncryption(ServerSideEncryption.fromValue(sse));
      if (store.config().kmsKeyId() != null) {
        request.ssekmsKeyId(store.config().kmsKeyId());
      }
    }
  }

  private CompletedPart uploadPart(int partNumber, byte[] buffer, int length) {
    String checksum = sha256Base64(buffer, length);
    UploadPartResponse response =
        store
            .client()
            .uploadPart(
                b ->
                    b.bucket(store.bucket())
                        .key(fullKey)
                        .uploadId(uploadId)
                        .partNumber(partNumber)
                        .contentLength((long) length)
                        .checksumAlgorithm(ChecksumAlgorithm.SHA256)
                        .checksumSHA256(checksum),
                body(buffer, length));
    return CompletedPart.builder()
        .partNumber(partNumber)
        .eTag(response.eTag())
        .checksumSHA256(checksum)
        .build();
  }

  private static RequestBody body(byte[] buffer, int length) {
    return RequestBody.fromContentProvider(
        () -> new ByteArrayInputStream(buffer, 0, length), length, "application/octet-stream");
  }

  private static String sha256Base64(byte[] buffer, int length) {
    MessageDigest digest = Sha256.newDigest();
    digest.update(buffer, 0, length);
    return Base64.getEncoder().encodeToString(digest.digest());
  }

  @Override
  public ObjectInfo commit() throws IOException {
    ensureOpen();
    try {
      if (uploadId == null) {
        putSingle();
      } else {
        if (filled > 0) {
          submitPart();
        }
        completeMultipart();
      }
    } catch (RuntimeException e) {
      abort();
      throw S3Failures.classify(store.describe(), "upload", key, e);
    }
    committed = true;
    return new ObjectInfo(key, written, Instant.now());
  }

  private void putSingle() {
    byte[] buffer = current == null ? new byte[0] : current;
    int length = filled;
    PutObjectRequest.Builder request =
        PutObjectRequest.builder()
            .bucket(store.bucket())
            .key(fullKey)
            .contentLength((long) length)
            .checksumAlgorithm(ChecksumAlgorithm.SHA256)
            .checksumSHA256(sha256Base64(buffer, length));
    String sse = store.config().serverSideEncryption();
    if (sse != null) {
      request.serverSideEncryption(ServerSideEncryption.fromValue(sse));
      if (store.config().kmsKeyId() != null) {
        request.ssekmsKeyId(store.config().kmsKeyId());
      }
    }
    store.client().putObject(request.build(), body(buffer, length));
    current = null;
  }

  private void completeMultipart() throws IOException {
    List<CompletedPart> completed = new ArrayList<>();
    for (Future<CompletedPart> part : parts) {
      try {
        completed.add(part.get());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while uploading " + key);
      } catch (ExecutionException e) {
        throw e.getCause() instanceof RuntimeException r
            ? r
            : new StoreException(StoreException.Kind.IO, "upload of " + key + " failed", e);
      }
    }
    completed.sort(Comparator.comparing(CompletedPart::partNumber));
    store
        .client()
        .completeMultipartUpload(
            b ->
                b.bucket(store.bucket())
                    .key(fullKey)
                    .uploadId(uploadId)
                    .multipartUpload(m -> m.parts(completed)));
  }

  @Override
  public void abort() {
    if (committed || aborted) {
      return;
    }
    aborted = true;
    int ownPermit = current == null ? 0 : 1;
    current = null;
    if (uploadId == null) {
      return;
    }
    for (Future<CompletedPart> part : parts) {
      part.cancel(true);
    }
    awaitTransfers(ownPermit);
    try {
      store
          .client()
          .abortMultipartUpload(b -> b.bucket(store.bucket()).key(fullKey).uploadId(uploadId));
    } catch (RuntimeException e) {
      log.warn(
          "could not abort the multipart upload of {} in {} (it is not listed; a bucket"
              + " lifecycle rule removes it): {}",
          key,
          store.describe(),
          e.getMessage());
    }
  }

  /**
   * Waits (briefly) until no part is still being sent: S3 may keep a part that finishes after the
   * abort. The part tasks release their buffer permits when they end, whatever the outcome.
   */
  private void awaitTransfers(int ownPermit) {
    int others = store.config().uploadParallelism() - ownPermit;
    try {
      if (buffers.tryAcquire(others, 10, TimeUnit.SECONDS)) {
        buffers.release(others);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public long bytesWritten() {
    return written;
  }
}
