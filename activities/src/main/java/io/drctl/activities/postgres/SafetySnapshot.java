package io.drctl.activities.postgres;

import io.drctl.activities.ActionFailures;
import io.drctl.activities.backup.BackupFailures;
import io.drctl.activities.backup.SafetyCopies;
import io.drctl.activities.backup.StoreSession;
import io.drctl.activities.docker.DockerSnapshotVolumeInput;
import io.drctl.activities.docker.DockerSnapshotVolumeResult;
import io.drctl.store.StoreException;
import io.drctl.store.catalog.BackupMetadata;
import io.drctl.store.catalog.BackupRequest;
import io.drctl.store.catalog.BackupType;
import io.drctl.store.pipeline.Compression;
import io.temporal.activity.Activity;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code postgres.snapshot}: the pre-change safety copy. Its id is {@code
 * safety_<incident>_<label>} (the incident is the workflow id), so a repeat of the step within one
 * incident finds and reuses the complete copy instead of taking another. Method dump: pg_dump -Fc
 * (of some tables). Method dataDirectory: pg_basebackup when the server answers; when it is down, a
 * cold copy of its container's volume through {@code docker.snapshotVolume}. Stored as type MANUAL
 * (kept by maxAge) until the store has a schedule for safety copies.
 */
final class SafetySnapshot {
  private final PostgresConnector connector;
  private final ServerTools tools;
  private final LogicalBackup logical;
  private final PhysicalBackup physical;

  SafetySnapshot(
      PostgresConnector connector,
      ServerTools tools,
      LogicalBackup logical,
      PhysicalBackup physical) {
    this.connector = connector;
    this.tools = tools;
    this.logical = logical;
    this.physical = physical;
  }

  PostgresSnapshotResult snapshot(PostgresSnapshotInput input) {
    PostgresInputs.present("postgres.snapshot", input);
    PostgresTarget target = PostgresTarget.of(input.targets(), "target", input.target());
    if (!"dump".equals(input.method()) && !"dataDirectory".equals(input.method())) {
      throw ActionFailures.invalidInput(
          "method must be dataDirectory or dump, was " + input.method());
    }
    List<TableName> tables =
        PostgresInputs.tables("tables", input.tables() == null ? List.of() : input.tables());
    if (!tables.isEmpty() && !"dump".equals(input.method())) {
      throw ActionFailures.invalidInput(
          "tables needs method dump: a data directory copy is always whole");
    }
    String id =
        SafetyCopies.id(Activity.getExecutionContext().getInfo().getWorkflowId(), input.label());
    Progress progress = Progress.of("postgres.snapshot");
    try (StoreSession store =
        StoreSession.open(input.targets(), "store", input.store(), connector.secrets())) {
      Optional<BackupMetadata> existing =
          store.catalog().find(PostgresActivities.BACKUP_SERVICE, id);
      if (existing.isPresent()) {
        return result(
            store,
            existing.get(),
            LogicalBackup.isPhysical(existing.get()) ? "basebackup" : "dump");
      }
      BackupRequest request =
          BackupRequest.of(
                  PostgresActivities.BACKUP_SERVICE,
                  BackupType.MANUAL,
                  "dump".equals(input.method()) ? "dump" : "tar")
              .withBackupId(id)
              .withNotes("safety copy before a change: " + input.label());
      if ("dump".equals(input.method())) {
        return result(
            store,
            logical
                .dumpInto(
                    LogicalBackup.DumpRequest.safetyCopy(store, target, request, tables), progress)
                .metadata(),
            "dump");
      }
      if (answers(target)) {
        return result(
            store,
            physical
                .basebackupInto(
                    store,
                    target,
                    request.withCompression(Compression.ZSTD, 0),
                    "fast",
                    null,
                    "drctl " + id,
                    false,
                    progress)
                .metadata(),
            "basebackup");
      }
      if (target.container() == null) {
        throw ActionFailures.nonRetryable(
            "SnapshotFailed",
            target.describe()
                + " does not answer and names no"
                + " container whose volume could be copied cold");
      }
      progress.beat("copying the volume of " + target.container() + " cold", 0);
      DockerSnapshotVolumeResult cold =
          tools.snapshotVolume(
              new DockerSnapshotVolumeInput(
                  target.name(),
                  null,
                  input.store(),
                  false,
                  input.bestEffort(),
                  input.label(),
                  input.targets()));
      return new PostgresSnapshotResult(
          cold.snapshotId(),
          "coldCopy",
          cold.location(),
          cold.sizeBytes(),
          cold.createdAt(),
          cold.unreadableFiles());
    } catch (StoreException e) {
      throw BackupFailures.of(e);
    }
  }

  private boolean answers(PostgresTarget target) {
    try {
      connector.with(target, "connecting", Duration.ofSeconds(3), connection -> null);
      return true;
    } catch (ApplicationFailure failure) {
      if (PostgresFailures.SERVER_UNAVAILABLE.equals(failure.getType())) {
        return false;
      }
      throw failure;
    }
  }

  private static PostgresSnapshotResult result(
      StoreSession store, BackupMetadata metadata, String method) {
    return new PostgresSnapshotResult(
        metadata.backupId(),
        method,
        store.location(metadata),
        metadata.sizeBytes(),
        metadata.timestamp().toString(),
        0);
  }
}
