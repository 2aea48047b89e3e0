package io.drctl.activities.docker;

import io.drctl.activities.secrets.SecretMask;
import java.nio.charset.StandardCharsets;

/**
 * The last bytes of one output stream of a {@code docker.exec} command, in a ring buffer of
 * bounded size, with the step's secret values masked as {@code ****} when read. It keeps as many
 * bytes more than the limit as the longest secret has, so that a secret cut at the front of the
 * tail is still recognised (and its remains dropped). Written by one pump thread, read after.
 */
final class CapturedOutput {
  private final int limit;
  private final byte[] ring;
  private final SecretMask mask;
  private long total;

  CapturedOutput(int limit, SecretMask mask) {
    this.mask = mask;
    this.limit = limit;
    this.ring = new byte[limit + mask.longestSecretBytes()];
  }

  synchronized void append(byte[] bytes, int offset, int length) {
    int capacity = ring.length;
    if (capacity == 0) {
      total += length;
      return;
    }
    if (length > capacity) {
      offset += length - capacity;
      total += length - capacity;
      length = capacity;
    }
    int start = (int) (total % capacity);
    int first = Math.min(length, capacity - start);
    System.arraycopy(bytes, offset, ring, start, first);
    System.arraycopy(bytes, offset + first, ring, 0, length - first);
    total += length;
  }

  synchronized long totalBytes() {
    return total;
  }

  /** Whether more was written than {@link #text()} returns. */
  synchronized boolean truncated() {
    return total > limit;
  }

  /** At most {@code limit} bytes of masked UTF-8 text: the tail of the stream. */
  synchronized String text() {
    int capacity = ring.length;
    int length = (int) Math.min(total, capacity);
    byte[] window = new byte[length];
    int begin = capacity == 0 ? 0 : (int) ((total - length) % capacity);
    int first = Math.min(length, capacity - begin);
    System.arraycopy(ring, begin, window, 0, first);
    System.arraycopy(ring, 0, window, first, length - first);
    boolean cut = total > length;
    int start = cut ? skipContinuationBytes(window, 0) : 0;
    String text = mask.mask(new String(window, start, window.length - start, StandardCharsets.UTF_8));
    if (cut) {
      text = mask.stripLeadingFragment(text);
    }
    byte[] encoded = text.getBytes(StandardCharsets.UTF_8);
    if (encoded.length <= limit) {
      return text;
    }
    int from = skipContinuationBytes(encoded, encoded.length - limit);
    return new String(encoded, from, encoded.length - from, StandardCharsets.UTF_8);
  }

  private static int skipContinuationBytes(byte[] bytes, int start) {
    int index = start;
    while (index < bytes.length && (bytes[index] & 0xC0) == 0x80) {
      index++;
    }
    return index;
  }
}
