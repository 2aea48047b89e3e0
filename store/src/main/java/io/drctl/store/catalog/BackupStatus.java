package io.drctl.store.catalog;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;
import java.util.Map;

/**
 * The {@code .backup_status} JSON at the store root (the seed's {@code cat /backups/.backup_status
 * | jq}). Rewritten atomically after every write, failure, verification and restore test.
 *
 * @param updatedAt when this file was written
 * @param backups last attempt per {@code <service>/<type>}, e.g. {@code postgresql/daily}
 * @param lastVerification the most recent verify or restore test, or null
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record BackupStatus(
    Instant updatedAt, Map<String, LastBackup> backups, Verification lastVerification) {

  public BackupStatus {
    backups = backups == null ? Map.of() : Map.copyOf(backups);
  }

  /** The last backup attempt of one service and type. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record LastBackup(
      String status,
      String backupId,
      Instant timestamp,
      Long sizeBytes,
      Double durationSeconds,
      Restorability restorability,
      String error,
      Instant lastSuccessAt,
      String lastSuccessId) {}

  /**
   * The result of the last verification ({@code CHECKSUM_OK}, {@code VERIFIED}, {@code CORRUPT}).
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Verification(
      String backupId, String service, Restorability result, Instant at, String message) {}

  /** Status values of {@link LastBackup#status()}. */
  public static final String OK = "ok";

  public static final String FAILED = "failed";
  public static final String CORRUPT = "corrupt";
}
