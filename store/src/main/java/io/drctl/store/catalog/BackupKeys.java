package io.drctl.store.catalog;

import java.util.regex.Pattern;

/**
 * The key layout of a catalog inside its {@link io.drctl.store.object.ObjectStore}:
 *
 * <pre>
 * backups/&lt;service&gt;/&lt;type&gt;/&lt;backup_id&gt;/&lt;backup_id&gt;.&lt;format&gt;[.zst|.gz]
 * backups/&lt;service&gt;/&lt;type&gt;/&lt;backup_id&gt;/metadata.json   (written last)
 * .backup_status
 * </pre>
 */
public final class BackupKeys {

  public static final String ROOT = "backups/";
  public static final String METADATA = "metadata.json";
  public static final String STATUS = ".backup_status";
  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.\\-]{0,127}");

  private BackupKeys() {}

  /** {@code backups/<service>/<type>/<id>/} */
  public static String folder(String service, BackupType type, String backupId) {
    return ROOT + service + "/" + type.jsonName() + "/" + backupId + "/";
  }

  public static String folder(BackupMetadata m) {
    return folder(m.service(), m.type(), m.backupId());
  }

  public static String metadataKey(BackupMetadata m) {
    return folder(m) + METADATA;
  }

  public static String dataKey(BackupMetadata m) {
    return folder(m) + m.dataFile();
  }

  /** Fails unless {@code value} is a safe single path segment (no slash, no "..", not empty). */
  public static void checkSegment(String field, String value) {
    if (value == null || !SEGMENT.matcher(value).matches() || value.contains("..")) {
      throw new IllegalArgumentException(
          field + " '" + value + "' must match [A-Za-z0-9][A-Za-z0-9_.-]* (a single path segment)");
    }
  }
}
