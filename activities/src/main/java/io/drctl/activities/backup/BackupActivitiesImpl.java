package io.drctl.activities.backup;

import io.drctl.activities.secrets.SecretResolver;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * Runs the {@code backup} actions on backup stores through {@code io.drctl.store}. Each group of
 * actions lives in its own small class; this one only classifies what escapes them ({@link
 * BackupFailures#classify}). Thread-safe; long store operations run on a shared daemon pool while
 * the activity thread heartbeats.
 */
final class BackupActivitiesImpl implements BackupBackend {
  private final ExecutorService pool;
  private final BackupQueries queries;
  private final BackupVerification verification;
  private final BackupPruning pruning;
  private final BackupReplication replication;
  private final BackupMonitoring monitoring;

  /** With the system clock. */
  BackupActivitiesImpl(SecretResolver secrets) {
    this(secrets, Clock.systemUTC());
  }

  /** With {@code clock} as "now" for ages, retention and checks (tests). */
  BackupActivitiesImpl(SecretResolver secrets, Clock clock) {
    Objects.requireNonNull(secrets, "secrets");
    Objects.requireNonNull(clock, "clock");
    this.pool =
        Executors.newCachedThreadPool(
            work -> {
              Thread thread = new Thread(work, "drctl-backup-io");
              thread.setDaemon(true);
              return thread;
            });
    this.queries = new BackupQueries(secrets, clock);
    this.verification = new BackupVerification(secrets, clock, pool);
    this.pruning = new BackupPruning(secrets, clock);
    this.replication = new BackupReplication(secrets, pool);
    this.monitoring = new BackupMonitoring(secrets, clock);
  }

  @Override
  public BackupListResult list(BackupListInput input) {
    return classified(queries::list, input);
  }

  @Override
  public BackupSelectResult select(BackupSelectInput input) {
    return classified(queries::select, input);
  }

  @Override
  public BackupVerifyResult verify(BackupVerifyInput input) {
    return classified(verification::verify, input);
  }

  @Override
  public BackupPruneResult prune(BackupPruneInput input) {
    return classified(pruning::prune, input);
  }

  @Override
  public BackupReplicateResult replicate(BackupReplicateInput input) {
    return classified(replication::replicate, input);
  }

  @Override
  public BackupStatusResult status(BackupStatusInput input) {
    return classified(queries::status, input);
  }

  @Override
  public BackupRecordRestoreTestResult recordRestoreTest(BackupRecordRestoreTestInput input) {
    return classified(verification::recordRestoreTest, input);
  }

  @Override
  public BackupCheckFreshnessResult checkFreshness(BackupCheckFreshnessInput input) {
    return classified(monitoring::checkFreshness, input);
  }

  @Override
  public BackupCheckSizeResult checkSize(BackupCheckSizeInput input) {
    return classified(monitoring::checkSize, input);
  }

  @Override
  public BackupCheckDurationResult checkDuration(BackupCheckDurationInput input) {
    return classified(monitoring::checkDuration, input);
  }

  /** Stops the I/O threads. */
  @Override
  public void close() {
    pool.shutdownNow();
  }

  private static <I, O> O classified(Function<I, O> action, I input) {
    try {
      return action.apply(input);
    } catch (RuntimeException e) {
      throw BackupFailures.classify(e);
    }
  }
}
