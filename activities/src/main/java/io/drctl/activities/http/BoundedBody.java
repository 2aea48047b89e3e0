package io.drctl.activities.http;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/** Reads a whole response body, keeping its first {@code limit} bytes and counting all of them. */
final class BoundedBody implements HttpResponse.BodySubscriber<BoundedBody.Captured> {

  /** The kept bytes and the size of the whole body. */
  record Captured(byte[] bytes, long totalBytes) {}

  private final int limit;
  private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
  private final CompletableFuture<Captured> result = new CompletableFuture<>();
  private long total;

  BoundedBody(int limit) {
    this.limit = limit;
  }

  @Override
  public void onSubscribe(Flow.Subscription subscription) {
    subscription.request(Long.MAX_VALUE);
  }

  @Override
  public void onNext(List<ByteBuffer> buffers) {
    for (ByteBuffer buffer : buffers) {
      int length = buffer.remaining();
      total += length;
      int room = limit - kept.size();
      if (room > 0) {
        byte[] bytes = new byte[Math.min(room, length)];
        buffer.get(bytes);
        kept.write(bytes, 0, bytes.length);
      }
    }
  }

  @Override
  public void onError(Throwable error) {
    result.completeExceptionally(error);
  }

  @Override
  public void onComplete() {
    result.complete(new Captured(kept.toByteArray(), total));
  }

  @Override
  public CompletionStage<Captured> getBody() {
    return result;
  }
}
