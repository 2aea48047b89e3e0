package io.drctl.activities.redis;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicLong;

/** The file's bytes through a buffer of its own: a byte at a time costs no call into a stream. */
final class RdbInput {
  private final InputStream stream;
  private final AtomicLong progress;
  private final byte[] buffer = new byte[1 << 20];

  /** The buffer, for hashing in place. */
  final ByteBuffer view = ByteBuffer.wrap(buffer).order(ByteOrder.LITTLE_ENDIAN);

  int position;
  private int limit;

  RdbInput(InputStream stream, AtomicLong progress) {
    this.stream = stream;
    this.progress = progress;
  }

  /** Counts one key read, for whoever watches the progress. */
  void countKey() {
    progress.incrementAndGet();
  }

  private void fill() throws IOException {
    int read = stream.read(buffer, 0, buffer.length);
    if (read < 0) {
      throw new EOFException("the RDB file ends before its EOF opcode");
    }
    position = 0;
    limit = read;
  }

  /**
   * Whether the next {@code count} bytes are in the buffer from {@link #position} (read in if they
   * fit).
   */
  boolean ensure(int count) throws IOException {
    if (count > buffer.length) {
      return false;
    }
    if (limit - position < count) {
      System.arraycopy(buffer, position, buffer, 0, limit - position);
      limit -= position;
      position = 0;
      while (limit < count) {
        int read = stream.read(buffer, limit, buffer.length - limit);
        if (read < 0) {
          throw new EOFException("the RDB file ends before its EOF opcode");
        }
        limit += read;
      }
    }
    return true;
  }

  int peek() throws IOException {
    if (position == limit) {
      fill();
    }
    return buffer[position] & 0xff;
  }

  int unsigned() throws IOException {
    if (position == limit) {
      fill();
    }
    return buffer[position++] & 0xff;
  }

  int int32() throws IOException {
    return unsigned() << 24 | unsigned() << 16 | unsigned() << 8 | unsigned();
  }

  long int64() throws IOException {
    return (long) int32() << 32 | (int32() & 0xffffffffL);
  }

  void skip(long count) throws IOException {
    long left = count;
    while (left > 0) {
      if (position == limit) {
        fill();
      }
      int step = (int) Math.min(left, limit - position);
      position += step;
      left -= step;
    }
  }

  byte[] bytes(int count) throws IOException {
    byte[] bytes = new byte[count];
    int at = 0;
    while (at < count) {
      if (position == limit) {
        fill();
      }
      int step = Math.min(count - at, limit - position);
      System.arraycopy(buffer, position, bytes, at, step);
      position += step;
      at += step;
    }
    return bytes;
  }
}
