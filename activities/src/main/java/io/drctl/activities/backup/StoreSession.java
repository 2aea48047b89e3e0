package io.drctl.activities.backup;

import io.drctl.activities.secrets.SecretResolver;
import io.drctl.activities.targets.BackupStoreTarget;
import io.drctl.activities.targets.StepTargets;
import io.drctl.store.ObjectStores;
import io.drctl.store.StoreConfig;
import io.drctl.store.catalog.BackupCatalog;
import io.drctl.store.catalog.BackupKeys;
import io.drctl.store.catalog.BackupMetadata;
import io.drctl.store.object.ObjectStore;
import io.drctl.store.retention.CatalogRetention;
import io.drctl.store.wal.WalArchive;
import java.util.Map;

/**
 * One opened backup store for the length of one activity attempt: its configuration, catalog and
 * WAL archive. Close it when the attempt ends.
 */
final class StoreSession implements AutoCloseable {
  private final String name;
  private final StoreConfig config;
  private final ObjectStore store;
  private final BackupCatalog catalog;
  private final WalArchive wal;

  StoreSession(String name, StoreConfig config) {
    this.name = name;
    this.config = config;
    this.store = ObjectStores.open(config);
    this.catalog = new BackupCatalog(store);
    this.wal = new WalArchive(store, CatalogRetention.WAL_PREFIX);
  }

  /** Opens the backupStore target that parameter {@code param} names. */
  static StoreSession open(
      Map<String, com.fasterxml.jackson.databind.JsonNode> targets,
      String param,
      String name,
      SecretResolver secrets) {
    return new StoreSession(
        name, BackupStoreTarget.resolve(StepTargets.of(targets), param, name, secrets));
  }

  String name() {
    return name;
  }

  StoreConfig config() {
    return config;
  }

  ObjectStore store() {
    return store;
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
