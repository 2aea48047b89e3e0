package io.drctl.store.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** WAL segment files for tests: a real long page header (as PostgreSQL 15 writes it) and a body. */
public final class TestSegments {
  private TestSegments() {}

  /**
   * Writes {@code dir/name}: the long page header naming {@code systemIdentifier}, then {@code
   * body}.
   */
  public static Path write(Path dir, String name, long systemIdentifier, byte[] body)
      throws IOException {
    ByteBuffer header =
        ByteBuffer.allocate(SystemIdentifier.SEGMENT_HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    header.putShort(0, (short) 0xD110); // XLOG_PAGE_MAGIC of PostgreSQL 15
    header.putShort(2, (short) 0x0002); // XLP_LONG_HEADER
    header.putInt(4, 1);
    header.putLong(24, systemIdentifier);
    header.putInt(32, 16 * 1024 * 1024);
    header.putInt(36, 8192);
    byte[] bytes = new byte[header.capacity() + body.length];
    System.arraycopy(header.array(), 0, bytes, 0, header.capacity());
    System.arraycopy(body, 0, bytes, header.capacity(), body.length);
    Files.createDirectories(dir);
    return Files.write(dir.resolve(name), bytes);
  }
}
