package io.drctl.store.retention;

import java.util.regex.Pattern;

/**
 * Positions of WAL file names. A segment name is 24 hex digits: timeline, log, segment (8 each).
 * Comparing the last 16 digits as text orders segments by their place in the WAL stream; the
 * timeline is left out on purpose, so that a range keeps the segments of every timeline that cover
 * it (keeping a little more, never less).
 */
final class WalPositions {
  private static final Pattern SEGMENT = Pattern.compile("^[0-9A-Fa-f]{24}.*");

  private WalPositions() {}

  /** The 16-digit position of a WAL file or segment name, upper case; {@code null} if none. */
  static String of(String name) {
    if (name == null || !SEGMENT.matcher(name).matches() || name.contains(".history")) {
      return null;
    }
    return name.substring(8, 24).toUpperCase();
  }
}
