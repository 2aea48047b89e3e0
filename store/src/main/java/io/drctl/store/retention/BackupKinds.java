package io.drctl.store.retention;

import io.drctl.store.catalog.BackupMetadata;
import io.drctl.store.catalog.BackupType;
import java.util.Locale;

/**
 * The action catalog's vocabulary for a stored backup: its {@code format} ({@code dump}, {@code
 * basebackup}, {@code rdb}, {@code aof}) and {@code schedule} ({@code daily}, {@code weekly},
 * {@code monthly}, {@code manual}), which {@code backup.list}, {@code backup.select} and the checks
 * filter by.
 *
 * <p>{@link BackupMetadata} records one {@code type} that mixes the two, so both are derived: a
 * backup is a {@code basebackup} when its type is {@code basebackup} or it carries a WAL range;
 * otherwise its format is the data file's extension without the compression suffix ({@code
 * backup_x.dump.zst} is a {@code dump}; a Redis {@code tar} holds an AOF directory, so {@code
 * aof}). The schedule is the type for {@code daily}, {@code weekly}, {@code monthly} and {@code
 * manual}; the seed's {@code full} is a {@code manual} one; a base backup's schedule is not
 * recorded and counts as {@code daily}.
 */
public final class BackupKinds {
  /** The format of a physical base backup (pg_basebackup, or a data directory copy with WAL). */
  public static final String BASEBACKUP = "basebackup";

  private BackupKinds() {}

  /** The catalog format of a stored backup. */
  public static String format(BackupMetadata backup) {
    if (backup.type() == BackupType.BASEBACKUP || backup.wal() != null) {
      return BASEBACKUP;
    }
    String file = backup.files().isEmpty() ? "" : backup.files().get(0);
    for (String suffix : new String[] {".zst", ".gz"}) {
      if (file.endsWith(suffix)) {
        file = file.substring(0, file.length() - suffix.length());
      }
    }
    int dot = file.lastIndexOf('.');
    String extension = dot < 0 ? "" : file.substring(dot + 1).toLowerCase(Locale.ROOT);
    if ("tar".equals(extension) && "redis".equals(backup.service())) {
      return "aof";
    }
    return extension.equals("tar") ? "dump" : extension;
  }

  /** The catalog schedule of a stored backup. */
  public static String schedule(BackupMetadata backup) {
    BackupType type = backup.type() == null ? BackupType.MANUAL : backup.type();
    return switch (type) {
      case DAILY, BASEBACKUP -> "daily";
      case WEEKLY -> "weekly";
      case MONTHLY -> "monthly";
      case MANUAL, FULL -> RetainedBackup.MANUAL;
    };
  }
}
