package io.drctl.activities.redis;

import io.drctl.activities.ActionFailures;
import io.drctl.activities.secrets.SecretResolver;
import io.drctl.activities.shell.ShellActivitiesImpl;
import java.util.Objects;

/**
 * Runs the {@code redis} actions. Each action lives in a small class of its own; this one only
 * classifies what escapes them ({@link ActionFailures#classify}). Processes run through the shell
 * backend. Thread-safe; close it to stop the Lettuce event loops.
 */
public final class RedisActivitiesImpl implements RedisActivities, AutoCloseable {
  private final RedisConnector connector;
  private final RedisChecks checks;
  private final RedisBackups backups;
  private final RedisRestore restore;

  /** With the tools next to the worker's {@code DRCTL_REDIS_SERVER}, else on the PATH. */
  public RedisActivitiesImpl(SecretResolver secrets) {
    this(secrets, RedisOptions.defaults());
  }

  public RedisActivitiesImpl(SecretResolver secrets, RedisOptions options) {
    Objects.requireNonNull(secrets, "secrets");
    this.connector = new RedisConnector(secrets, options);
    RedisTools tools = new RedisTools(options, new ShellActivitiesImpl(secrets));
    this.checks = new RedisChecks(connector, tools);
    this.backups = new RedisBackups(connector, tools);
    this.restore = new RedisRestore(connector, tools);
  }

  @Override
  public RedisInfoResult info(RedisInfoInput input) {
    return ActionFailures.classified(checks::info, input);
  }

  @Override
  public RedisBackupResult backup(RedisBackupInput input) {
    return ActionFailures.classified(backups::backup, input);
  }

  @Override
  public RedisRestoreResult restore(RedisRestoreInput input) {
    return ActionFailures.classified(restore::restore, input);
  }

  @Override
  public RedisFlushResult flush(RedisFlushInput input) {
    return ActionFailures.classified(checks::flush, input);
  }

  @Override
  public RedisSnapshotResult snapshot(RedisSnapshotInput input) {
    return ActionFailures.classified(backups::snapshot, input);
  }

  @Override
  public RedisVerifyResult verify(RedisVerifyInput input) {
    return ActionFailures.classified(checks::verify, input);
  }

  @Override
  public RedisCheckAofResult checkAof(RedisCheckAofInput input) {
    return ActionFailures.classified(checks::checkAof, input);
  }

  @Override
  public void close() {
    connector.close();
  }
}
