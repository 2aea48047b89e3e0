package io.drctl.activities.postgres;

import io.drctl.activities.ActionFailures;
import io.drctl.activities.docker.DockerBackend;
import io.drctl.activities.docker.DockerOptions;
import io.drctl.activities.secrets.SecretResolver;
import io.drctl.activities.shell.ShellBackend;
import java.util.Objects;

/**
 * Runs the {@code postgres} actions. Each action lives in its own small class; this one only
 * classifies what escapes them ({@link ActionFailures#classify}). Processes run through the shell
 * backend and containers through the docker backend, which it holds. Thread-safe.
 */
final class PostgresActivitiesImpl implements PostgresBackend {
  private final DockerBackend docker;
  private final ServerChecks serverChecks;
  private final ReplicationChecks replicationChecks;
  private final Promotion promotion;
  private final Rejoin rejoin;
  private final DataVerification verification;
  private final SchemaCheck schemaCheck;
  private final LogicalBackup logicalBackup;
  private final LogicalRestore logicalRestore;
  private final PhysicalBackup physicalBackup;
  private final PointInTimeRecovery pointInTimeRecovery;
  private final SelectiveRestore selectiveRestore;
  private final SafetySnapshot safetySnapshot;

  /** With the worker's {@code DRCTL_PG_BINDIR} and {@code DOCKER_HOST}. */
  PostgresActivitiesImpl(SecretResolver secrets) {
    this(secrets, PostgresOptions.defaults(), DockerOptions.defaults());
  }

  PostgresActivitiesImpl(
      SecretResolver secrets, PostgresOptions options, DockerOptions dockerOptions) {
    Objects.requireNonNull(secrets, "secrets");
    this.docker = DockerBackend.create(secrets, dockerOptions);
    PostgresConnector connector = new PostgresConnector(secrets, options);
    ServerTools tools = new ServerTools(options, ShellBackend.create(secrets), docker);
    this.serverChecks = new ServerChecks(connector, docker);
    this.replicationChecks = new ReplicationChecks(connector);
    this.promotion = new Promotion(connector, tools);
    this.rejoin = new Rejoin(connector, tools);
    this.verification = new DataVerification(connector);
    this.schemaCheck = new SchemaCheck(connector, tools);
    this.logicalBackup = new LogicalBackup(connector);
    this.logicalRestore = new LogicalRestore(connector, tools);
    this.physicalBackup = new PhysicalBackup(connector, tools);
    this.pointInTimeRecovery = new PointInTimeRecovery(connector, tools);
    this.selectiveRestore = new SelectiveRestore(connector);
    this.safetySnapshot = new SafetySnapshot(connector, tools, logicalBackup, physicalBackup);
  }

  @Override
  public PostgresIsReadyResult isReady(PostgresIsReadyInput input) {
    return ActionFailures.classified(serverChecks::isReady, input);
  }

  @Override
  public PostgresQueryResult query(PostgresQueryInput input) {
    return ActionFailures.classified(serverChecks::query, input);
  }

  @Override
  public PostgresConnectionStatsResult connectionStats(PostgresConnectionStatsInput input) {
    return ActionFailures.classified(serverChecks::connectionStats, input);
  }

  @Override
  public PostgresDiskUsageResult diskUsage(PostgresDiskUsageInput input) {
    return ActionFailures.classified(serverChecks::diskUsage, input);
  }

  @Override
  public PostgresReplicationStatusResult replicationStatus(PostgresReplicationStatusInput input) {
    return ActionFailures.classified(replicationChecks::replicationStatus, input);
  }

  @Override
  public PostgresArchiveStatusResult archiveStatus(PostgresArchiveStatusInput input) {
    return ActionFailures.classified(replicationChecks::archiveStatus, input);
  }

  @Override
  public PostgresPromoteResult promote(PostgresPromoteInput input) {
    return ActionFailures.classified(promotion::promote, input);
  }

  @Override
  public PostgresRejoinResult rejoin(PostgresRejoinInput input) {
    return ActionFailures.classified(rejoin::rejoin, input);
  }

  @Override
  public PostgresVerifyResult verify(PostgresVerifyInput input) {
    return ActionFailures.classified(verification::verify, input);
  }

  @Override
  public PostgresSchemaCheckResult schemaCheck(PostgresSchemaCheckInput input) {
    return ActionFailures.classified(schemaCheck::check, input);
  }

  @Override
  public PostgresCompareResult compare(PostgresCompareInput input) {
    return ActionFailures.classified(verification::compare, input);
  }

  @Override
  public PostgresDumpResult dump(PostgresDumpInput input) {
    return ActionFailures.classified(logicalBackup::dump, input);
  }

  @Override
  public PostgresRestoreResult restore(PostgresRestoreInput input) {
    return ActionFailures.classified(logicalRestore::restore, input);
  }

  @Override
  public PostgresBasebackupResult basebackup(PostgresBasebackupInput input) {
    return ActionFailures.classified(physicalBackup::basebackup, input);
  }

  @Override
  public PostgresPitrResult pitr(PostgresPitrInput input) {
    return ActionFailures.classified(pointInTimeRecovery::pitr, input);
  }

  @Override
  public PostgresSelectiveRestoreResult selectiveRestore(PostgresSelectiveRestoreInput input) {
    return ActionFailures.classified(selectiveRestore::restore, input);
  }

  @Override
  public PostgresSnapshotResult snapshot(PostgresSnapshotInput input) {
    return ActionFailures.classified(safetySnapshot::snapshot, input);
  }

  /** Closes the docker backend's engine clients. */
  @Override
  public void close() {
    docker.close();
  }
}
