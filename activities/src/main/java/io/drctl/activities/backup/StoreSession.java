package io.drctl.activities.backup;

import io.drctl.activities.secrets.SecretResolver;
import io.drctl.activities.targets.BackupStoreTarget;
import io.drctl.activities.targets.StepTargets;
import io.drctl.store.StoreConfig;
import io.drctl.store.StoreException;
import io.drctl.store.catalog.BackupCatalog;
import io.drctl.store.catalog.BackupKeys;
import io.drctl.store.catalog.BackupMetadata;
import io.drctl.store.object.ObjectStore;
import io.drctl.store.open.ObjectStores;
import io.drctl.store.retention.CatalogRetention;
import io.drctl.store.wal.WalArchive;
import java.util.Map;

/**
 * One opened backup store for the length of one activity attempt: its configuration, catalog and
 * WAL archive (under {@link CatalogRetention#WAL_PREFIX}, where {@code drctl wal push} writes).
 * Every backend that reads or writes backups (backup, postgres, redis) opens its store this way.
 * Close it when the attempt ends.
 */
public final class StoreSession implements AutoCloseable {
  private final String name;
  private final StoreConfig config;
  private final ObjectStore store;
  private final BackupCatalog catalog;
  private final WalArchive wal;

  StoreSession(String name, StoreConfig config) {
    this.name = name;
    this.config = config;
    try {
      this.store = ObjectStores.open(config);
    } catch (StoreException e) {
      throw BackupFailures.of(e);
    }
    this.catalog = new BackupCatalog(store);
    this.wal = new WalArchive(store, CatalogRetention.WAL_PREFIX);
  }

  /**
   * Opens the backupStore target that parameter {@code param} names. Failures are already
   * classified {@code ApplicationFailure}s (unknown target, secret unavailable, store config).
   */
  public static StoreSession open(
      Map<String, com.fasterxml.jackson.databind.JsonNode> targets,
      String param,
      String name,
      SecretResolver secrets) {
    return new StoreSession(
        name, BackupStoreTarget.resolve(StepTargets.of(targets), param, name, secrets));
  }

  public String name() {
    return name;
  }

  public StoreConfig config() {
    return config;
  }

  public ObjectStore store() {
    return store;
  }

  public BackupCatalog catalog() {
    return catalog;
  }

  public WalArchive wal() {
    return wal;
  }

  /** Where a backup's data is: a path for a local store, {@code s3://bucket/key} for S3. */
  public String location(BackupMetadata backup) {
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
