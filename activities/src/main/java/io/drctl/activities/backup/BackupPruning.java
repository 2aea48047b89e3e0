package io.drctl.activities.backup;

import io.drctl.activities.secrets.SecretResolver;
import io.drctl.store.retention.CatalogRetention;
import io.drctl.store.retention.RetentionOutcome;
import io.drctl.store.retention.RetentionPlan;
import io.drctl.store.retention.RetentionPlanner;
import io.drctl.store.retention.RetentionPolicy;
import io.drctl.store.retention.RetentionStore;
import java.time.Clock;
import java.util.List;

/** {@code backup.prune}: GFS retention through {@link RetentionPlanner}. */
final class BackupPruning {
  private final SecretResolver secrets;
  private final Clock clock;

  BackupPruning(SecretResolver secrets, Clock clock) {
    this.secrets = secrets;
    this.clock = clock;
  }

  BackupPruneResult prune(BackupPruneInput input) {
    BackupInputs.present("backup.prune", input);
    String service = BackupInputs.oneOf("service", input.service(), BackupInputs.SERVICES);
    try (StoreSession store = StoreSession.open(input.targets(), "store", input.store(), secrets)) {
      RetentionPolicy policy =
          RetentionPolicy.from(store.config().retention()).overriddenBy(input.retention());
      CatalogRetention retention = new CatalogRetention(store.catalog(), store.wal());
      RetentionPlan plan = retention.plan(service, clock.instant(), policy);
      List<String> candidates = plan.deletions().stream().map(d -> d.backup().backupId()).toList();
      if (input.dryRun() || plan.deletesNothing()) {
        return new BackupPruneResult(
            input.dryRun(),
            candidates.size(),
            plan.kept().size(),
            plan.walDeletions().size(),
            plan.freedBytes(),
            candidates);
      }
      RetentionOutcome outcome = RetentionPlanner.apply(plan, heartbeating(retention, plan));
      return new BackupPruneResult(
          false,
          outcome.deletedBackupIds().size(),
          outcome.kept(),
          outcome.walDeleted(),
          outcome.freedBytes(),
          outcome.deletedBackupIds());
    }
  }

  /** Deletes through {@code retention}, heartbeating before each deletion. */
  private static RetentionStore heartbeating(CatalogRetention retention, RetentionPlan plan) {
    BackupHeartbeat heartbeat = BackupHeartbeat.current();
    int total = plan.deletions().size() + plan.walDeletions().size();
    int[] done = {0};
    return new RetentionStore() {
      @Override
      public void deleteBackup(String backupId) {
        heartbeat.beat("deleting", done[0]++, total, backupId);
        retention.deleteBackup(backupId);
      }

      @Override
      public void deleteWal(io.drctl.store.retention.ArchivedWal wal) {
        heartbeat.beat("deleting", done[0]++, total, wal.location());
        retention.deleteWal(wal);
      }
    };
  }
}
