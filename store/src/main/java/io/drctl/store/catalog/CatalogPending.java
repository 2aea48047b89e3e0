package io.drctl.store.catalog;

import io.drctl.store.StoreException;
import io.drctl.store.object.ObjectInfo;
import io.drctl.store.object.ObjectOutput;
import io.drctl.store.object.ObjectStore;
import io.drctl.store.pipeline.Compression;
import io.drctl.store.pipeline.StoringPipeline;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A backup being streamed into the store; metadata is written last on commit. */
final class CatalogPending implements PendingBackup {
  private static final Logger log = LoggerFactory.getLogger(CatalogPending.class);

  private final ObjectStore store;
  private final StatusFile status;
  private final BackupRequest request;
  private final String backupId;
  private final Instant timestamp;
  private final String dataFile;
  private final String dataKey;
  private final ObjectOutput data;
  private final StoringPipeline pipeline;
  private final long startNanos = System.nanoTime();
  private Map<String, BackupMetadata.TableFingerprint> fingerprints = Map.of();
  private boolean finished;

  CatalogPending(
      ObjectStore store,
      StatusFile status,
      BackupRequest request,
      String backupId,
      Instant timestamp)
      throws IOException {
    this.store = store;
    this.status = status;
    this.request = request;
    this.backupId = backupId;
    this.timestamp = timestamp;
    String extension = request.compression().extension();
    this.dataFile =
        backupId + "." + request.format() + (extension.isEmpty() ? "" : "." + extension);
    this.dataKey = BackupKeys.folder(request.service(), request.type(), backupId) + dataFile;
    this.data = store.create(dataKey);
    try {
      this.pipeline = new StoringPipeline(request.compression(), request.compressionLevel(), data);
    } catch (IOException | RuntimeException e) {
      data.abort();
      throw e;
    }
  }

  @Override
  public OutputStream stream() {
    return pipeline;
  }

  @Override
  public void fingerprints(Map<String, BackupMetadata.TableFingerprint> value) {
    this.fingerprints = Map.copyOf(value);
  }

  @Override
  public String backupId() {
    return backupId;
  }

  @Override
  public BackupMetadata commit() throws IOException {
    if (finished) {
      throw new IllegalStateException("backup " + backupId + " is already committed or aborted");
    }
    ObjectInfo committed;
    try {
      pipeline.finish();
      committed = data.commit();
    } catch (IOException | RuntimeException e) {
      abort(describe(e));
      throw e;
    }
    finished = true;
    double seconds = Math.round((System.nanoTime() - startNanos) / 1e7) / 100.0;
    BackupMetadata metadata =
        new BackupMetadata(
            backupId,
            request.type(),
            request.service(),
            timestamp,
            committed.size(),
            CatalogJson.readableSize(committed.size()),
            seconds,
            List.of(dataFile),
            "sha256:" + pipeline.storedSha256(),
            false,
            request.retention() != null ? request.retention() : defaultRetention(request.type()),
            Restorability.NONE,
            request.notes(),
            request.source(),
            request.compression(),
            store.encryption(),
            request.wal(),
            fingerprints,
            pipeline.rawBytes(),
            request.compression() == Compression.NONE ? pipeline.storedSha256() : null,
            null);
    try {
      store.put(BackupKeys.metadataKey(metadata), CatalogJson.write(metadata));
    } catch (IOException | RuntimeException e) {
      removeData();
      status.recordFailure(request.service(), request.type(), backupId, describe(e));
      throw e;
    }
    status.recordSuccess(metadata);
    return metadata;
  }

  private void removeData() {
    try {
      store.delete(dataKey);
    } catch (RuntimeException e) {
      log.warn("could not remove data {} of an unlisted backup: {}", dataKey, e.getMessage());
    }
  }

  private static String describe(Exception e) {
    return e instanceof StoreException
        ? e.getMessage()
        : e.getClass().getSimpleName() + ": " + e.getMessage();
  }

  static String defaultRetention(BackupType type) {
    return switch (type) {
      case DAILY, BASEBACKUP -> "7_days";
      case WEEKLY -> "4_weeks";
      case MONTHLY -> "12_months";
      case MANUAL, FULL -> "manual";
    };
  }

  @Override
  public void abort(String reason) {
    if (finished) {
      return;
    }
    finished = true;
    pipeline.discard(); // stops the pipeline's threads first: only they write to data
    data.abort();
    try {
      status.recordFailure(request.service(), request.type(), backupId, reason);
    } catch (RuntimeException e) {
      log.warn(
          "could not record the failed backup {} in {}: {}",
          backupId,
          store.describe(),
          e.getMessage());
    }
  }

  @Override
  public void close() {
    abort("aborted before commit");
  }
}
