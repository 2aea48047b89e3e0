package io.drctl.store.wal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A PostgreSQL cluster's database system identifier: the 64-bit number {@code initdb} picks, which
 * {@code pg_controldata} prints as "Database system identifier" and which every WAL segment's first
 * page header repeats. A re-initialised cluster has a new one while its segment names start over at
 * {@code 000000010000000000000001}, so the WAL archive keys segments by it. Printed and parsed as
 * the unsigned decimal PostgreSQL shows. Immutable.
 *
 * @param value the identifier's 64 bits (unsigned; Java's sign is meaningless here)
 */
public record SystemIdentifier(long value) {
  /** Size of XLogLongPageHeaderData's fields read here: up to and including xlp_xlog_blcksz. */
  static final int SEGMENT_HEADER_BYTES = 40;

  private static final int XLP_LONG_HEADER = 0x0002;

  public SystemIdentifier {
    if (value == 0) {
      throw new IllegalArgumentException("a database system identifier is never 0");
    }
  }

  /**
   * Parses the decimal form ({@code 7311232549262331234}).
   *
   * @throws IllegalArgumentException naming the text when it is not an unsigned 64-bit decimal
   */
  public static SystemIdentifier parse(String text) {
    Objects.requireNonNull(text, "text");
    if (!text.matches("[0-9]{1,20}")) {
      throw new IllegalArgumentException(
          "'"
              + text
              + "' is not a database system identifier"
              + " (the decimal number pg_controldata prints)");
    }
    try {
      return new SystemIdentifier(Long.parseUnsignedLong(text));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a database system identifier" + " (larger than 64 bits)");
    }
  }

  /**
   * The identifier in a WAL segment's (or {@code .partial} segment's) first page: the long page
   * header {@code XLogLongPageHeaderData}, whose {@code xlp_sysid} follows the 24-byte standard
   * header (little-endian, as PostgreSQL writes on the x86-64 and arm64 hosts drctl runs on). Needs
   * no server.
   *
   * @throws IllegalArgumentException naming the file when it does not start with a long page header
   *     (not a WAL segment, or truncated)
   * @throws IOException when it cannot be read
   */
  public static SystemIdentifier ofSegment(Path segment) throws IOException {
    byte[] header = new byte[SEGMENT_HEADER_BYTES];
    int read;
    try (InputStream in = Files.newInputStream(segment)) {
      read = in.readNBytes(header, 0, header.length);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("WAL file " + segment + " does not exist");
    }
    if (read < header.length) {
      throw new IllegalArgumentException(
          segment + " is too short (" + read + " bytes) to be a WAL segment");
    }
    return ofSegmentHeader(header, segment.toString());
  }

  /**
   * {@link #ofSegment} on the first {@value #SEGMENT_HEADER_BYTES} bytes; {@code what} names them.
   */
  static SystemIdentifier ofSegmentHeader(byte[] header, String what) {
    ByteBuffer page = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
    int info = Short.toUnsignedInt(page.getShort(2));
    long sysid = page.getLong(24);
    int segmentSize = page.getInt(32);
    int blockSize = page.getInt(36);
    if ((info & XLP_LONG_HEADER) == 0
        || sysid == 0
        || !powerOfTwo(segmentSize, 1 << 20, 1 << 30)
        || !powerOfTwo(blockSize, 1 << 10, 1 << 16)) {
      throw new IllegalArgumentException(
          what
              + " does not start with a WAL segment's long page"
              + " header (no system identifier to file it under)");
    }
    return new SystemIdentifier(sysid);
  }

  /**
   * The identifier in a data directory's {@code global/pg_control}: {@code ControlFileData} starts
   * with {@code system_identifier} (8 bytes) and {@code pg_control_version} (4 bytes), both in the
   * host's byte order (little-endian here). This is what {@code pg_controldata} prints, read
   * without the binary and without a running server.
   *
   * @throws IllegalArgumentException naming the directory when it holds no readable pg_control
   * @throws IOException when it cannot be read
   */
  public static SystemIdentifier ofDataDirectory(Path dataDirectory) throws IOException {
    Path control = dataDirectory.resolve("global").resolve("pg_control");
    byte[] head = new byte[12];
    int read;
    try (InputStream in = Files.newInputStream(control)) {
      read = in.readNBytes(head, 0, head.length);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(
          dataDirectory + " is not a PostgreSQL data directory" + " (no global/pg_control)");
    }
    ByteBuffer buffer = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
    int version = read < head.length ? 0 : buffer.getInt(8);
    // pg_control_version is 1300 in PostgreSQL 13 to 17; anything far off means another layout.
    if (version < 900 || version > 9999 || buffer.getLong(0) == 0) {
      throw new IllegalArgumentException(
          control
              + " is not a pg_control file drctl can read"
              + " (pg_control_version "
              + version
              + ")");
    }
    return new SystemIdentifier(buffer.getLong(0));
  }

  private static boolean powerOfTwo(int value, int min, int max) {
    return value >= min && value <= max && Integer.bitCount(value) == 1;
  }

  /** The unsigned decimal, as pg_controldata prints it; also the archive's directory name. */
  @Override
  public String toString() {
    return Long.toUnsignedString(value);
  }
}
