package io.drctl.activities.process;

import io.drctl.activities.secrets.SecretMask;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The last bytes of one output stream of a program (a local process, a {@code docker exec}, a
 * one-off container, a PostgreSQL client tool), in a ring buffer of bounded size: the one way the
 * backends keep output. Written by one pump thread, read by the activity thread. It keeps {@code
 * slack} bytes more than the limit (the longest secret's length), so that a secret cut at the front
 * of the tail can still be recognised and removed; every read masks the step's secrets.
 */
public final class OutputTail {
  static final int LAST_LINE_WINDOW = 4096;
  static final int LAST_LINE_CHARS = 200;

  /** Masked text of a stream and whether anything was cut. */
  public record Text(String text, boolean truncated) {}

  private final int limit;
  private final int slack;
  private final byte[] ring;
  private long total;
  private long lastWriteNanos;

  /**
   * @param limit the most bytes {@link #text} returns
   * @param slack bytes kept beyond that, at least {@link SecretMask#longestSecretBytes()}
   */
  public OutputTail(int limit, int slack) {
    this.limit = limit;
    this.slack = slack;
    this.ring = new byte[Math.max(limit, LAST_LINE_WINDOW) + slack];
  }

  /** Starts a daemon thread that copies the stream into this tail until end of stream. */
  public Thread pump(InputStream stream, String threadName) {
    Thread thread = new Thread(() -> copy(stream), threadName);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  private void copy(InputStream stream) {
    byte[] buffer = new byte[8192];
    try (stream) {
      for (int read = stream.read(buffer); read >= 0; read = stream.read(buffer)) {
        append(buffer, 0, read);
      }
    } catch (IOException e) {
      // The pipe was closed under us because the process was killed: what was read is kept.
      return;
    }
  }

  /** Adds bytes at the end of the stream; the oldest fall out of the ring. */
  public synchronized void append(byte[] bytes, int offset, int length) {
    int capacity = ring.length;
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
    lastWriteNanos = System.nanoTime();
  }

  /** All bytes written so far, kept or not. */
  public synchronized long totalBytes() {
    return total;
  }

  /** {@link System#nanoTime()} of the last write, 0 before the first. */
  public synchronized long lastWriteNanos() {
    return lastWriteNanos;
  }

  /** At most {@code limit} bytes of masked UTF-8 text, the tail of the stream. */
  public Text text(SecretMask mask) {
    Window window = window(ring.length);
    String text = window.decode(mask);
    byte[] encoded = text.getBytes(StandardCharsets.UTF_8);
    if (encoded.length <= limit) {
      return new Text(text, window.total > limit);
    }
    int start = skipContinuationBytes(encoded, encoded.length - limit);
    return new Text(
        new String(encoded, start, encoded.length - start, StandardCharsets.UTF_8), true);
  }

  /** The last line written (complete or not), masked, at most {@link #LAST_LINE_CHARS} long. */
  public String lastLine(SecretMask mask) {
    String text = mask.stripTrailingFragment(window(LAST_LINE_WINDOW + slack).decode(mask));
    int end = text.length();
    while (end > 0 && (text.charAt(end - 1) == '\n' || text.charAt(end - 1) == '\r')) {
      end--;
    }
    String line = text.substring(text.lastIndexOf('\n', end - 1) + 1, end);
    return line.length() <= LAST_LINE_CHARS
        ? line
        : "…" + line.substring(line.length() - (LAST_LINE_CHARS - 1));
  }

  /** The last {@code count} lines of {@link #text}, masked, without line ends. */
  public List<String> lastLines(SecretMask mask, int count) {
    List<String> lines = List.of(text(mask).text().split("\\R"));
    if (lines.size() == 1 && lines.get(0).isEmpty()) {
      return List.of();
    }
    return lines.subList(Math.max(0, lines.size() - count), lines.size());
  }

  private synchronized Window window(int maxBytes) {
    int capacity = ring.length;
    int length = (int) Math.min(maxBytes, Math.min(total, capacity));
    int begin = (int) ((total - length) % capacity);
    byte[] copy = new byte[length];
    int first = Math.min(length, capacity - begin);
    System.arraycopy(ring, begin, copy, 0, first);
    System.arraycopy(ring, 0, copy, first, length - first);
    return new Window(copy, total);
  }

  private static int skipContinuationBytes(byte[] bytes, int start) {
    int index = start;
    while (index < bytes.length && (bytes[index] & 0xC0) == 0x80) {
      index++;
    }
    return index;
  }

  /** A copy of the last bytes of the stream, and the stream's total length. */
  private record Window(byte[] bytes, long total) {
    boolean cut() {
      return total > bytes.length;
    }

    String decode(SecretMask mask) {
      int start = cut() ? skipContinuationBytes(bytes, 0) : 0;
      String text =
          mask.mask(new String(bytes, start, bytes.length - start, StandardCharsets.UTF_8));
      return cut() ? mask.stripLeadingFragment(text) : text;
    }
  }
}
