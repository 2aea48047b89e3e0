package io.drctl.activities.backup;

import io.drctl.activities.ActionFailures;
import io.drctl.activities.secrets.SecretResolver;
import io.drctl.store.catalog.BackupMetadata;
import io.drctl.store.catalog.Restorability;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;

/** {@code backup.verify} and {@code backup.recordRestoreTest}. */
final class BackupVerification {
  private final SecretResolver secrets;
  private final Clock clock;
  private final ExecutorService pool;

  BackupVerification(SecretResolver secrets, Clock clock, ExecutorService pool) {
    this.secrets = secrets;
    this.clock = clock;
    this.pool = pool;
  }

  BackupVerifyResult verify(BackupVerifyInput input) {
    BackupInputs.present("backup.verify", input);
    String from = BackupInputs.required("from", input.from());
    String service = BackupInputs.oneOf("service", input.service(), BackupInputs.SERVICES);
    BackupHeartbeat heartbeat = BackupHeartbeat.current();
    try (StoreSession store = StoreSession.open(input.targets(), "store", input.store(), secrets)) {
      BackupMetadata backup = resolve(store, from, service);
      heartbeat.beat("verifying", 0, 1, backup.backupId());
      if (input.record()) {
        heartbeat.await(
            pool, () -> store.catalog().verify(backup), "verifying", 0, 1, backup.backupId());
      } else {
        heartbeat.await(pool, () -> readToEnd(store, backup), "verifying", 0, 1, backup.backupId());
      }
      return new BackupVerifyResult(backup.backupId(), true, true, true, backup.sizeBytes());
    }
  }

  BackupRecordRestoreTestResult recordRestoreTest(BackupRecordRestoreTestInput input) {
    BackupInputs.present("backup.recordRestoreTest", input);
    String id = BackupInputs.required("backupId", input.backupId());
    String result =
        BackupInputs.oneOf(
            "restorability",
            BackupInputs.required("restorability", input.restorability()),
            java.util.Set.of(
                BackupRecordRestoreTestInput.VERIFIED, BackupRecordRestoreTestInput.FAILED));
    try (StoreSession store = StoreSession.open(input.targets(), "store", input.store(), secrets)) {
      BackupMetadata backup = byId(store, id, null);
      String note = note(result, input.evidence(), input.notes());
      boolean verified = BackupRecordRestoreTestInput.VERIFIED.equals(result);
      Restorability wanted = verified ? Restorability.VERIFIED : Restorability.CORRUPT;
      boolean alreadyRecorded =
          backup.restorability() == wanted
              && backup.notes() != null
              && backup.notes().contains(note);
      if (alreadyRecorded && backup.verifiedAt() != null) {
        return new BackupRecordRestoreTestResult(id, result, backup.verifiedAt().toString());
      }
      BackupMetadata recorded =
          verified
              ? store.catalog().markRestoreTested(backup, note)
              : store.catalog().markCorrupt(backup, note);
      Instant at = recorded.verifiedAt() != null ? recorded.verifiedAt() : clock.instant();
      return new BackupRecordRestoreTestResult(id, result, at.toString());
    }
  }

  /** The note a restore test leaves: {@code restore test VERIFIED (evidence INC-1): notes}. */
  private static String note(String result, String evidence, String notes) {
    return "restore test "
        + result
        + (evidence == null || evidence.isBlank() ? "" : " (evidence " + evidence + ")")
        + (notes == null || notes.isBlank() ? "" : ": " + notes);
  }

  /** An exact id (of any service unless given), else a selector of {@code service}. */
  static BackupMetadata resolve(StoreSession store, String from, String service) {
    if (!BackupSelector.isSelectorWord(from)) {
      return byId(store, from, service);
    }
    if (service == null) {
      throw ActionFailures.invalidInput(
          "service is needed when from is the selector '" + from + "' rather than a backup id");
    }
    return new BackupSelector(service, null, null, false)
        .select(from, store.catalog().list(service), store.name(), store.config().kind());
  }

  private static BackupMetadata byId(StoreSession store, String id, String service) {
    List<BackupMetadata> backups = store.catalog().list(service);
    return backups.stream()
        .filter(b -> b.backupId().equals(id))
        .findFirst()
        .orElseThrow(
            () ->
                BackupFailures.noBackupFound(
                    "no backup "
                        + id
                        + " in store '"
                        + store.name()
                        + "' ("
                        + backups.size()
                        + (service == null ? "" : " " + service)
                        + " backups there)"));
  }

  private static long readToEnd(StoreSession store, BackupMetadata backup) {
    try (InputStream raw = store.catalog().open(backup)) {
      return raw.transferTo(java.io.OutputStream.nullOutputStream());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
