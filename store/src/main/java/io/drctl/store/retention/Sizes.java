package io.drctl.store.retention;

/** Human-readable byte counts in the seed's style ({@code 512MB}, {@code 1.5GB}). */
final class Sizes {
  private static final String[] UNITS = {"B", "KB", "MB", "GB", "TB", "PB"};

  private Sizes() {}

  static String readable(long bytes) {
    double value = bytes;
    int unit = 0;
    while (value >= 1024 && unit < UNITS.length - 1) {
      value /= 1024;
      unit++;
    }
    if (unit == 0 || value >= 100 || value == Math.rint(value)) {
      return Math.round(value) + UNITS[unit];
    }
    return String.format(java.util.Locale.ROOT, "%.1f%s", value, UNITS[unit]);
  }
}
