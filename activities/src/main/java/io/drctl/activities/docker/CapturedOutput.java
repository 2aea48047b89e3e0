package io.drctl.activities.docker;

import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;

/**
 * The last bytes of one output stream of a {@code docker.exec} command, in a ring buffer of
 * bounded size, with the step's secret values masked as {@code ****} when read. It keeps as many
 * bytes more than the limit as the longest secret has, so that a secret cut at the front of the
 * tail is still recognised (and its remains dropped). Written by one pump thread, read after.
 */
final class CapturedOutput {
  static final String MASK = "****";

  private final int limit;
  private final byte[] ring;
  private final List<String> secrets;
  private long total;

  CapturedOutput(int limit, List<String> secretValues) {
    this.secrets = secretValues.stream().filter(value -> !value.isEmpty()).distinct()
        .sorted(Comparator.comparingInt(String::length).reversed()).toList();
    int slack = secrets.isEmpty() ? 0 : secrets.get(0).getBytes(StandardCharsets.UTF_8).length;
    this.limit = limit;
    this.ring = new byte[limit + slack];
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
    String text = mask(new String(window, start, window.length - start, StandardCharsets.UTF_8));
    if (cut) {
      text = text.substring(leadingFragment(text));
    }
    byte[] encoded = text.getBytes(StandardCharsets.UTF_8);
    if (encoded.length <= limit) {
      return text;
    }
    int from = skipContinuationBytes(encoded, encoded.length - limit);
    return new String(encoded, from, encoded.length - from, StandardCharsets.UTF_8);
  }

  private String mask(String text) {
    String result = text;
    for (String secret : secrets) {
      result = result.replace(secret, MASK);
    }
    return result;
  }

  /** Length of the longest proper suffix of a secret that {@code text} starts with. */
  private int leadingFragment(String text) {
    int longest = 0;
    for (String secret : secrets) {
      for (int length = Math.min(secret.length() - 1, text.length()); length > longest; length--) {
        if (text.startsWith(secret.substring(secret.length() - length))) {
          longest = length;
          break;
        }
      }
    }
    return longest;
  }

  private static int skipContinuationBytes(byte[] bytes, int start) {
    int index = start;
    while (index < bytes.length && (bytes[index] & 0xC0) == 0x80) {
      index++;
    }
    return index;
  }
}
