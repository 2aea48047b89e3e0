package io.drctl.activities.redis;

import io.drctl.activities.ActionFailures;
import io.drctl.activities.docker.DockerBackend;
import io.drctl.activities.docker.DockerOptions;
import io.drctl.activities.secrets.SecretResolver;
import io.drctl.activities.shell.ShellBackend;
import java.util.Objects;

/**
 * Runs the {@code redis} actions. Each action lives in a small class of its own; this one only
 * classifies what escapes them ({@link ActionFailures#classify}). Processes run through the shell
 * backend and containers through the docker backend, which it holds. Thread-safe; close it.
 */
final class RedisActivitiesImpl implements RedisBackend {
  private final DockerBackend docker;
  private final RedisConnector connector;
  private final RedisChecks checks;
  private final RedisBackups backups;
  private final RedisRestore restore;
  private final RedisReplication replication;

  /** With the tools next to the worker's {@code DRCTL_REDIS_SERVER}, else on the PATH. */
  RedisActivitiesImpl(SecretResolver secrets) {
    this(secrets, RedisOptions.defaults(), DockerOptions.defaults());
  }

  RedisActivitiesImpl(SecretResolver secrets, RedisOptions options, DockerOptions dockerOptions) {
    Objects.requireNonNull(secrets, "secrets");
    this.docker = DockerBackend.create(secrets, dockerOptions);
    this.connector = new RedisConnector(secrets, options);
    RedisTools tools = new RedisTools(options, ShellBackend.create(secrets));
    RedisFiles files = new RedisFiles(docker);
    this.checks = new RedisChecks(connector, tools, files);
    this.backups = new RedisBackups(connector, tools, files);
    this.restore = new RedisRestore(connector, tools, files, docker);
    this.replication = new RedisReplication(connector, docker);
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
  public RedisSentinelFailoverResult sentinelFailover(RedisSentinelFailoverInput input) {
    return ActionFailures.classified(replication::sentinelFailover, input);
  }

  @Override
  public RedisReplicaOfResult replicaOf(RedisReplicaOfInput input) {
    return ActionFailures.classified(replication::replicaOf, input);
  }

  /** Stops the Lettuce event loops and closes the docker backend's engine clients. */
  @Override
  public void close() {
    connector.close();
    docker.close();
  }
}
