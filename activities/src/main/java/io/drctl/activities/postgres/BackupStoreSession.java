package io.drctl.activities.postgres;

import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.activities.backup.BackupFailures;
import io.drctl.activities.secrets.SecretResolver;
import io.drctl.activities.targets.BackupStoreTarget;
import io.drctl.activities.targets.StepTargets;
import io.drctl.store.ObjectStores;
import io.drctl.store.StoreConfig;
import io.drctl.store.StoreException;
import io.drctl.store.catalog.BackupCatalog;
import io.drctl.store.catalog.BackupKeys;
import io.drctl.store.catalog.BackupMetadata;
import io.drctl.store.object.ObjectStore;
import io.drctl.store.retention.CatalogRetention;
import io.drctl.store.wal.WalArchive;
import java.util.Map;

/**
 * The backup store a postgres step names, opened for one activity attempt: its catalog (service
 * {@value #SERVICE}) and the WAL archive under {@link CatalogRetention#WAL_PREFIX}, where {@code
 * drctl wal push} writes. Close it when the attempt ends.
 */
final class BackupStoreSession implements AutoCloseable {
  /** The service name of PostgreSQL backups in the catalog. */
  static final String SERVICE = "postgresql";

  private final StoreConfig config;
  private final ObjectStore store;
  private final BackupCatalog catalog;
  private final WalArchive wal;

  private BackupStoreSession(StoreConfig config) {
    this.config = config;
    try {
      this.store = ObjectStores.open(config);
    } catch (StoreException e) {
      throw BackupFailures.of(e);
    }
    this.catalog = new BackupCatalog(store);
    this.wal = new WalArchive(store, CatalogRetention.WAL_PREFIX);
  }

  static BackupStoreSession open(Map<String, JsonNode> targets, String param, String name, SecretResolver secrets) {
    return new BackupStoreSession(BackupStoreTarget.resolve(StepTargets.of(targets), param, name, secrets));
  }

  BackupCatalog catalog() {
    return catalog;
  }

  WalArchive wal() {
    return wal;
  }

  /** Where a backup's data is: a path for a local store, {@code s3://bucket/key} for S3. */
  String location(BackupMetadata backup) {
    if (config.kind() == StoreConfig.Kind.LOCAL) {
      return config.path().resolve(BackupKeys.dataKey(backup)).toString();
    }
    String prefix = config.prefix().isEmpty() ? "" : config.prefix() + "/";
    return "s3://" + config.bucket() + "/" + prefix + BackupKeys.dataKey(backup);
  }

  @Override
  public void close() {
    store.close();
  }
}
