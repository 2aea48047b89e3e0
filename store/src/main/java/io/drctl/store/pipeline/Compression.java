package io.drctl.store.pipeline;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * How stored bytes are compressed; written to metadata as {@code zstd}, {@code gzip}, {@code none}.
 */
public enum Compression {
  /** zstd (zstd-jni), multi-threaded with one worker per core; default level 3. */
  ZSTD("zst"),
  /** gzip, for the seed's {@code .dump.gz} compatibility ({@code gunzip < file} works). */
  GZIP("gz"),
  /** Stored as produced. */
  NONE("");

  private final String extension;

  Compression(String extension) {
    this.extension = extension;
  }

  /** File extension without the dot, empty for {@link #NONE}. */
  public String extension() {
    return extension;
  }

  /** The default level: zstd 3, gzip 6. */
  public int defaultLevel() {
    return this == ZSTD ? 3 : this == GZIP ? 6 : 0;
  }

  @JsonValue
  public String jsonName() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static Compression parse(String text) {
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "zstd", "zst" -> ZSTD;
      case "gzip", "gz" -> GZIP;
      case "none" -> NONE;
      default ->
          throw new IllegalArgumentException(
              "compression '" + text + "' must be zstd, gzip or none");
    };
  }
}
