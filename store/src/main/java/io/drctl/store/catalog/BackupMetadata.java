package io.drctl.store.catalog;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.drctl.store.pipeline.Compression;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The metadata JSON stored next to each backup ({@code metadata.json}), with the seed's snake_case
 * fields plus what restores need. Written last: a backup whose metadata is absent does not exist
 * for the catalog. Immutable; updates go through the {@code with...} methods and an atomic replace
 * of the JSON by {@link BackupCatalog}.
 *
 * @param backupId unique within service and type, e.g. {@code backup_20251227_010000}
 * @param type schedule/kind
 * @param service e.g. {@code postgresql}, {@code redis}
 * @param timestamp when the backup started (UTC)
 * @param sizeBytes stored (compressed) bytes
 * @param sizeReadable e.g. {@code 512MB}
 * @param durationSeconds producer start to data commit
 * @param files stored data file names, relative to the backup's folder
 * @param checksum {@code sha256:<hex>} of the stored bytes
 * @param verified true once restorability is CHECKSUM_OK or VERIFIED
 * @param retention e.g. {@code 7_days}
 * @param restorability NONE, CHECKSUM_OK, VERIFIED, CORRUPT
 * @param notes free text
 * @param source where the data came from (may be null)
 * @param compression how {@code files} are compressed
 * @param encryption {@code none}, {@code AES256}, {@code aws:kms} (server-side)
 * @param wal WAL range of a physical backup, else null
 * @param fingerprints per table: row count and checksum, as supplied by the producer (may be empty)
 * @param rawSizeBytes bytes the producer wrote (before compression)
 * @param rawSha256 hex SHA-256 of the bytes the producer wrote: recorded by compressed backups
 *     written before 2026-12-07 (and still checked by verify), and by uncompressed ones (where it
 *     is the stored SHA-256); newer compressed backups leave it out, as the codec's checksum of the
 *     raw stream (zstd frame content checksum, gzip CRC-32) is checked on every read
 * @param verifiedAt when restorability was last set by verify or a restore test, else null
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record BackupMetadata(
    String backupId,
    BackupType type,
    String service,
    Instant timestamp,
    long sizeBytes,
    String sizeReadable,
    double durationSeconds,
    List<String> files,
    String checksum,
    boolean verified,
    String retention,
    Restorability restorability,
    String notes,
    Source source,
    Compression compression,
    String encryption,
    WalRange wal,
    Map<String, TableFingerprint> fingerprints,
    long rawSizeBytes,
    String rawSha256,
    Instant verifiedAt) {

  public BackupMetadata {
    files = files == null ? List.of() : List.copyOf(files);
    fingerprints = fingerprints == null ? Map.of() : Map.copyOf(fingerprints);
    restorability = restorability == null ? Restorability.NONE : restorability;
  }

  /** The source of a backup. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Source(String host, String database, String serverVersion) {}

  /**
   * The WAL a physical backup needs to be consistent, its timeline, and the database system
   * identifier of its cluster, under which that WAL is archived ({@code null} in metadata written
   * before it was recorded; the restored data directory's pg_control has it too).
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record WalRange(
      String startLsn,
      String stopLsn,
      String startWal,
      String stopWal,
      int timeline,
      String systemIdentifier) {

    /** A range whose cluster is not recorded. */
    public WalRange(
        String startLsn, String stopLsn, String startWal, String stopWal, int timeline) {
      this(startLsn, stopLsn, startWal, stopWal, timeline, null);
    }
  }

  /** A table's fingerprint: row count and a checksum of its content (producer-defined). */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record TableFingerprint(long rowCount, String checksum) {}

  /** The hex SHA-256 of the stored bytes, without the {@code sha256:} prefix. */
  public String storedSha256() {
    return checksum.startsWith("sha256:") ? checksum.substring(7) : checksum;
  }

  /** The main data file name. */
  public String dataFile() {
    return files.get(0);
  }

  /** A copy with a new restorability; {@code verified} follows it. */
  public BackupMetadata withRestorability(Restorability value, Instant at, String note) {
    boolean ok = value == Restorability.CHECKSUM_OK || value == Restorability.VERIFIED;
    String newNotes =
        note == null ? notes : (notes == null || notes.isBlank() ? note : notes + "; " + note);
    return new BackupMetadata(
        backupId,
        type,
        service,
        timestamp,
        sizeBytes,
        sizeReadable,
        durationSeconds,
        files,
        checksum,
        ok,
        retention,
        value,
        newNotes,
        source,
        compression,
        encryption,
        wal,
        fingerprints,
        rawSizeBytes,
        rawSha256,
        at);
  }
}
