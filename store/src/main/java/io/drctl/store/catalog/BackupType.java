package io.drctl.store.catalog;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * The schedule or kind a backup was taken under; the GFS retention and the {@code weekly} / {@code
 * monthly} selectors read it. JSON: lower case ({@code daily}).
 */
public enum BackupType {
  DAILY,
  WEEKLY,
  MONTHLY,
  /** Taken by hand or by a runbook step (for example the pre-restore snapshot). */
  MANUAL,
  /** The seed's {@code "type": "full"}: a full logical dump outside the GFS schedule. */
  FULL,
  /** A physical base backup ({@code pg_basebackup}); carries a WAL range. */
  BASEBACKUP;

  @JsonValue
  public String jsonName() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static BackupType parse(String text) {
    try {
      return valueOf(text.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "backup type '"
              + text
              + "' must be one of daily, weekly, monthly, manual, full, basebackup");
    }
  }
}
