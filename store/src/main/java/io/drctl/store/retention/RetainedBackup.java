package io.drctl.store.retention;

import java.time.Instant;
import java.util.Objects;

/**
 * What retention needs to know about one backup in one store, whatever the catalog records besides.
 * Immutable.
 *
 * @param backupId the backup's id, unique in the store
 * @param service {@code postgresql} or {@code redis}
 * @param format {@code dump}, {@code basebackup}, {@code rdb} or {@code aof}; GFS buckets are
 *     counted per {@linkplain #series() service and format}
 * @param schedule the retention class the producer gave it ({@code daily}, {@code weekly}, {@code
 *     monthly}, {@code manual} or {@code safety}); {@code manual} and {@code safety} backups are
 *     outside the GFS counts and kept by {@code maxAge} only
 * @param timestamp the backup's consistency point
 * @param sizeBytes its stored size, reported as freed when it is deleted
 * @param restorable false when it is known to be unusable (checksum mismatch, failed restore test);
 *     a backup not yet verified counts as restorable
 * @param startWal for a physical backup, the first WAL segment it needs ({@code
 *     000000010000000000000003}); {@code null} otherwise
 * @param stopWal for a physical backup, the last WAL segment it needs to be consistent; {@code
 *     null} when unknown or not physical
 * @param location where it is stored (a path or {@code s3://} URL), for the plan's table
 * @param systemIdentifier for a physical backup, the database system identifier of its cluster,
 *     whose archived WAL it needs; {@code null} when not recorded (older metadata): then it is
 *     taken to need the WAL of every cluster in its range
 */
public record RetainedBackup(
    String backupId,
    String service,
    String format,
    String schedule,
    Instant timestamp,
    long sizeBytes,
    boolean restorable,
    String startWal,
    String stopWal,
    String location,
    String systemIdentifier) {

  /** The schedule of pre-restore safety copies, kept by {@code maxAge} only. */
  public static final String SAFETY = "safety";

  /** The schedule of backups taken by hand or by a runbook step, kept by {@code maxAge} only. */
  public static final String MANUAL = "manual";

  public RetainedBackup {
    Objects.requireNonNull(backupId, "backupId");
    Objects.requireNonNull(timestamp, "timestamp");
    service = service == null ? "" : service;
    format = format == null ? "" : format;
    schedule = schedule == null ? "" : schedule;
    location = location == null ? "" : location;
  }

  /** A backup whose cluster is not recorded. */
  public RetainedBackup(
      String backupId,
      String service,
      String format,
      String schedule,
      Instant timestamp,
      long sizeBytes,
      boolean restorable,
      String startWal,
      String stopWal,
      String location) {
    this(
        backupId,
        service,
        format,
        schedule,
        timestamp,
        sizeBytes,
        restorable,
        startWal,
        stopWal,
        location,
        null);
  }

  /** Whether it may need WAL archived under {@code cluster} ({@code null}: the flat layout). */
  public boolean needsWalOf(String cluster) {
    return cluster == null || systemIdentifier == null || systemIdentifier.equals(cluster);
  }

  /** The GFS series the backup is counted in: service and format, e.g. {@code postgresql/dump}. */
  public String series() {
    return service + "/" + format;
  }

  /** A physical base backup: one that needs archived WAL from {@link #startWal()} to replay. */
  public boolean physical() {
    return startWal != null && !startWal.isBlank();
  }

  /** A manual backup or pre-restore safety copy: outside the GFS counts, kept by maxAge only. */
  public boolean outsideCounts() {
    return SAFETY.equals(schedule) || MANUAL.equals(schedule);
  }
}
