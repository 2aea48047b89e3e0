package io.drctl.activities.backup;

import static io.drctl.activities.backup.BackupTestStores.dump;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.drctl.activities.secrets.SecretResolver;
import io.drctl.store.catalog.BackupCatalog;
import io.drctl.store.catalog.BackupKeys;
import io.drctl.store.catalog.BackupMetadata;
import io.drctl.store.catalog.BackupRequest;
import io.drctl.store.catalog.BackupType;
import io.drctl.store.catalog.Restorability;
import io.drctl.store.object.ObjectStore;
import io.drctl.testing.S3ProxyProcess;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The backup actions against real stores: local directories and an S3Proxy server. */
class BackupActivitiesTest {
  private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");
  private static final ActivityOptions OPTIONS =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofMinutes(2))
          .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
          .build();

  @TempDir static Path serverDir;
  private static S3ProxyProcess s3;

  @TempDir Path temp;
  private BackupTestStores stores;
  private TestActivityEnvironment environment;
  private BackupActivities backups;
  private final List<BackupProgress> heartbeats = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void startS3() throws IOException {
    s3 = S3ProxyProcess.start(serverDir.resolve("s3"));
  }

  @AfterAll
  static void stopS3() {
    s3.close();
  }

  @BeforeEach
  void start() {
    stores = new BackupTestStores(temp, s3);
    environment = TestActivityEnvironment.newInstance();
    environment.registerActivitiesImplementations(
        new BackupActivitiesImpl(stores.secrets(), Clock.fixed(NOW, ZoneOffset.UTC)));
    environment.setActivityHeartbeatListener(BackupProgress.class, heartbeats::add);
    backups = environment.newActivityStub(BackupActivities.class, OPTIONS);
  }

  @AfterEach
  void stop() {
    environment.close();
  }

  private static ApplicationFailure failure(Throwable thrown) {
    assertThat(thrown).isInstanceOf(ActivityFailure.class);
    assertThat(thrown.getCause()).isInstanceOf(ApplicationFailure.class);
    return (ApplicationFailure) thrown.getCause();
  }

  @ParameterizedTest
  @ValueSource(strings = {"local", "s3"})
  void listAndSelectFollowTheCatalogsFiltersAndSelectors(String kind) throws IOException {
    String store = stores.add("store", kind);
    stores.write(store, dump("2026-11-25"), 1000);
    stores.write(store, dump("2026-11-26"), 2000);
    stores.write(
        store,
        BackupRequest.of("postgresql", BackupType.WEEKLY, "dump")
            .withBackupId("weekly_20261122")
            .withTimestamp(Instant.parse("2026-11-22T03:00:00Z")),
        3000);
    stores.write(
        store,
        BackupRequest.of("postgresql", BackupType.BASEBACKUP, "tar")
            .withBackupId("base_20261124")
            .withTimestamp(Instant.parse("2026-11-24T02:00:00Z"))
            .withWal(
                new BackupMetadata.WalRange(
                    "0/3000028",
                    "0/3000100",
                    "000000010000000000000003",
                    "000000010000000000000003",
                    1)),
        500);
    stores.write(
        store,
        BackupRequest.of("redis", BackupType.DAILY, "rdb")
            .withBackupId("redis_20261127")
            .withTimestamp(Instant.parse("2026-11-27T01:00:00Z")),
        100);

    BackupListResult all = backups.list(BackupListInput.of(store, stores.targets));
    BackupListResult dumps =
        backups.list(
            new BackupListInput(store, "postgresql", "dump", null, null, 2, stores.targets));

    assertThat(all.backups())
        .extracting(BackupRecord::backupId)
        .containsExactly(
            "redis_20261127",
            "backup_20261126_010000",
            "backup_20261125_010000",
            "base_20261124",
            "weekly_20261122");
    assertThat(all.newestId()).isEqualTo("redis_20261127");
    assertThat(dumps.backups())
        .extracting(BackupRecord::backupId)
        .containsExactly("backup_20261126_010000", "backup_20261125_010000");
    assertThat(dumps.count()).isEqualTo(2);
    assertThat(dumps.totalBytes())
        .isEqualTo(dumps.backups().get(0).sizeBytes() + dumps.backups().get(1).sizeBytes());
    assertThat(dumps.backups().get(0).checksum()).startsWith("sha256:");

    BackupSelectInput select = BackupSelectInput.of(store, "postgresql", stores.targets);
    BackupSelectResult latest = backups.select(select);
    assertThat(latest.backupId()).isEqualTo("backup_20261126_010000");
    assertThat(latest.ageSeconds()).isEqualTo(Duration.ofHours(35).toSeconds());
    assertThat(latest.restorability()).isEqualTo("UNTESTED");
    assertThat(latest.location())
        .endsWith("backup_20261126_010000.dump.zst")
        .startsWith(kind.equals("local") ? temp.toString() : "s3://bucket-");
    assertThat(backups.select(select.withSelector("weekly")).backupId())
        .isEqualTo("weekly_20261122");
    assertThat(backups.select(select.withSelector("20261125")).backupId())
        .isEqualTo("backup_20261125_010000");
    assertThat(backups.select(select.withFormat("basebackup")).backupId())
        .isEqualTo("base_20261124");
    assertThat(backups.select(select.withSelector("backup_20261125_010000")).sizeBytes())
        .isPositive();
    assertThat(
            backups
                .select(
                    new BackupSelectInput(
                        store,
                        "latest",
                        "postgresql",
                        "dump",
                        "2026-11-26T00:00:00Z",
                        false,
                        stores.targets))
                .backupId())
        .isEqualTo("backup_20261125_010000");
  }

  @ParameterizedTest
  @ValueSource(strings = {"local", "s3"})
  void aFlippedByteFailsVerifyWithBackupCorruptAndLatestFallsBackToThePreviousGoodBackup(
      String kind) throws IOException {
    String store = stores.add("store", kind);
    stores.write(store, dump("2026-11-25"), 300_000);
    BackupMetadata newest = stores.write(store, dump("2026-11-26"), 300_000);

    BackupVerifyResult verified =
        backups.verify(BackupVerifyInput.of(store, newest.backupId(), stores.targets));
    assertThat(verified)
        .isEqualTo(new BackupVerifyResult(newest.backupId(), true, true, true, newest.sizeBytes()));
    assertThat(heartbeats)
        .extracting(BackupProgress::phase, BackupProgress::current)
        .contains(org.assertj.core.groups.Tuple.tuple("verifying", newest.backupId()));
    try (ObjectStore objects = stores.open(store)) {
      assertThat(
              new BackupCatalog(objects)
                  .find("postgresql", newest.backupId())
                  .orElseThrow()
                  .restorability())
          .isEqualTo(Restorability.CHECKSUM_OK);
      byte[] stored = objects.read(BackupKeys.dataKey(newest));
      stored[stored.length / 2] ^= 0x01;
      objects.put(BackupKeys.dataKey(newest), stored);
    }

    ApplicationFailure corrupt =
        failure(
            catchThrowable(
                () ->
                    backups.verify(
                        BackupVerifyInput.of(store, newest.backupId(), stores.targets))));

    assertThat(corrupt.getType()).isEqualTo(BackupFailures.BACKUP_CORRUPT);
    assertThat(corrupt.isNonRetryable()).isTrue();
    assertThat(corrupt.getOriginalMessage()).contains(newest.backupId());
    assertThat(backups.select(BackupSelectInput.of(store, "postgresql", stores.targets)).backupId())
        .isEqualTo("backup_20261125_010000");
    ApplicationFailure exact =
        failure(
            catchThrowable(
                () ->
                    backups.select(
                        BackupSelectInput.of(store, "postgresql", stores.targets)
                            .withSelector(newest.backupId()))));
    assertThat(exact.getType()).isEqualTo(BackupFailures.BACKUP_CORRUPT);
  }

  @Test
  void nothingToSelectIsNoBackupFoundAndS3OnALocalStoreIsStoreMismatch() throws IOException {
    String store = stores.add("local", "local");
    stores.write(store, dump("2026-11-26"), 100);

    ApplicationFailure none =
        failure(
            catchThrowable(
                () -> backups.select(BackupSelectInput.of(store, "redis", stores.targets))));
    ApplicationFailure mismatch =
        failure(
            catchThrowable(
                () ->
                    backups.select(
                        BackupSelectInput.of(store, "postgresql", stores.targets)
                            .withSelector("s3"))));
    ApplicationFailure unknownId =
        failure(
            catchThrowable(
                () ->
                    backups.verify(
                        BackupVerifyInput.of(store, "backup_19990101_000000", stores.targets))));

    assertThat(none.getType()).isEqualTo("NoBackupFound");
    assertThat(none.isNonRetryable()).isTrue();
    assertThat(none.getOriginalMessage())
        .isEqualTo(
            "no redis backup matches 'latest' in store 'local': the store has no redis backups");
    assertThat(mismatch.getType()).isEqualTo("StoreMismatch");
    assertThat(unknownId.getType()).isEqualTo("NoBackupFound");
  }

  @Test
  void wrongCredentialsAreStoreAccessDeniedNotRetryableAndTheMessageHoldsNoSecret()
      throws IOException {
    String store = stores.add("s3", "s3");
    String wrongSecret = "wrong-secret-value-123";
    TestActivityEnvironment wrong = TestActivityEnvironment.newInstance();
    wrong.registerActivitiesImplementations(
        new BackupActivitiesImpl(
            new SecretResolver(
                Map.of(
                    BackupTestStores.ACCESS_KEY_ENV,
                    s3.credentials().accessKeyId(),
                    BackupTestStores.SECRET_KEY_ENV,
                    wrongSecret))));
    try {
      BackupActivities withWrongSecret = wrong.newActivityStub(BackupActivities.class, OPTIONS);

      ApplicationFailure denied =
          failure(
              catchThrowable(
                  () -> withWrongSecret.list(BackupListInput.of(store, stores.targets))));

      assertThat(denied.getType()).isEqualTo("StoreAccessDenied");
      assertThat(denied.isNonRetryable()).isTrue();
      assertThat(denied.getOriginalMessage())
          .doesNotContain(wrongSecret)
          .doesNotContain(s3.credentials().accessKeyId());
    } finally {
      wrong.close();
    }
  }

  @Test
  void aStoppedS3ServerIsStoreUnavailableAndRetryable() throws IOException {
    String store = stores.add("s3", "s3");
    s3.kill();
    try {
      ApplicationFailure unavailable =
          failure(catchThrowable(() -> backups.list(BackupListInput.of(store, stores.targets))));

      assertThat(unavailable.getType()).isEqualTo("StoreUnavailable");
      assertThat(unavailable.isNonRetryable()).isFalse();
    } finally {
      s3.restart();
    }
  }

  @Test
  void pruneIsADryRunUntilAskedAndARepeatDeletesNothing() throws IOException {
    String store = stores.add("local", "local");
    for (int day = 1; day <= 27; day++) {
      stores.write(store, dump(String.format("2026-11-%02d", day)), 100);
    }
    BackupPruneInput dryRun =
        BackupPruneInput.of(store, stores.targets)
            .withRetention(new ObjectMapper().createObjectNode().put("maxAge", "7d"));

    BackupPruneResult plan = backups.prune(dryRun);
    assertThat(plan.dryRun()).isTrue();
    assertThat(plan.deleted()).isEqualTo(20);
    assertThat(plan.kept()).isEqualTo(7);
    assertThat(backups.list(BackupListInput.of(store, stores.targets)).count()).isEqualTo(27);

    BackupPruneResult applied = backups.prune(dryRun.applying());
    BackupPruneResult again = backups.prune(dryRun.applying());

    assertThat(applied.candidates()).isEqualTo(plan.candidates());
    assertThat(applied.freedBytes()).isEqualTo(plan.freedBytes()).isPositive();
    assertThat(backups.list(BackupListInput.of(store, stores.targets)).backups())
        .extracting(BackupRecord::backupId)
        .first()
        .isEqualTo("backup_20261127_010000");
    assertThat(backups.list(BackupListInput.of(store, stores.targets)).count()).isEqualTo(7);
    assertThat(again.deleted()).isZero();
    assertThat(again.kept()).isEqualTo(7);
  }

  @Test
  void replicationCopiesBackupsAndWalToS3VerifiedAndSkipsWhatIsThere() throws IOException {
    String local = stores.add("local", "local");
    String remote = stores.add("remote", "s3");
    stores.write(local, dump("2026-11-25"), 200_000);
    BackupMetadata newest = stores.write(local, dump("2026-11-26"), 200_000);
    try (ObjectStore objects = stores.open(local)) {
      io.drctl.store.wal.WalArchive wal =
          new io.drctl.store.wal.WalArchive(
              objects, io.drctl.store.retention.CatalogRetention.WAL_PREFIX);
      for (int n = 1; n <= 3; n++) {
        Path segment = temp.resolve(String.format("0000000100000000000000%02X", n));
        java.nio.file.Files.write(
            segment, segmentBytes(7_311_232_549_262_331_234L, ("segment " + n).repeat(5000)));
        wal.push(segment);
      }
    }

    BackupReplicateResult first =
        backups.replicate(BackupReplicateInput.of(local, remote, stores.targets));
    BackupReplicateResult second =
        backups.replicate(BackupReplicateInput.of(local, remote, stores.targets));

    assertThat(first.copied()).isEqualTo(2);
    assertThat(first.walSegments()).isEqualTo(3);
    assertThat(first.backupIds())
        .containsExactlyInAnyOrder("backup_20261125_010000", "backup_20261126_010000");
    assertThat(second.copied()).isZero();
    assertThat(second.skipped()).isEqualTo(2);
    assertThat(second.walSegments()).isZero();
    BackupSelectResult copy =
        backups.select(
            BackupSelectInput.of(remote, "postgresql", stores.targets).withSelector("s3"));
    assertThat(copy.backupId()).isEqualTo(newest.backupId());
    assertThat(copy.checksum()).isEqualTo(newest.checksum());
    assertThat(backups.verify(BackupVerifyInput.of(remote, newest.backupId(), stores.targets)).ok())
        .isTrue();
    assertThat(backups.status(new BackupStatusInput(remote, null, stores.targets)).walBytes())
        .isPositive();
  }

  @Test
  void restoreTestResultsShowInStatusAndAFailedOneIsNeverSelected() throws IOException {
    String store = stores.add("local", "local");
    stores.write(store, dump("2026-11-25"), 100);
    BackupMetadata newest = stores.write(store, dump("2026-11-26"), 100);

    BackupRecordRestoreTestResult passed =
        backups.recordRestoreTest(
            new BackupRecordRestoreTestInput(
                store,
                "backup_20261125_010000",
                "VERIFIED",
                "INC-7",
                "row counts match",
                stores.targets));
    BackupRecordRestoreTestResult repeated =
        backups.recordRestoreTest(
            new BackupRecordRestoreTestInput(
                store,
                "backup_20261125_010000",
                "VERIFIED",
                "INC-7",
                "row counts match",
                stores.targets));
    BackupStatusResult afterPass =
        backups.status(new BackupStatusInput(store, "postgresql", stores.targets));
    backups.recordRestoreTest(
        new BackupRecordRestoreTestInput(
            store, newest.backupId(), "FAILED", "INC-8", "pg_restore failed", stores.targets));
    BackupStatusResult afterFail =
        backups.status(new BackupStatusInput(store, "postgresql", stores.targets));

    assertThat(passed.restorability()).isEqualTo("VERIFIED");
    assertThat(repeated.recordedAt()).isEqualTo(passed.recordedAt());
    assertThat(afterPass.lastRestoreTest()).isEqualTo("VERIFIED");
    assertThat(afterPass.backups()).isEqualTo(2);
    assertThat(afterPass.newestAt()).isEqualTo("2026-11-26T01:00:00Z");
    assertThat(afterPass.oldestAt()).isEqualTo("2026-11-25T01:00:00Z");
    assertThat(afterFail.lastRestoreTest()).isEqualTo("FAILED");
    assertThat(backups.select(BackupSelectInput.of(store, "postgresql", stores.targets)).backupId())
        .isEqualTo("backup_20261125_010000");
    assertThat(backups.list(BackupListInput.of(store, stores.targets)).backups())
        .extracting(BackupRecord::restorability)
        .containsExactly("FAILED", "VERIFIED");
  }

  @Test
  void theChecksAlertOnAStaleOversizedOrSlowBackup() throws IOException {
    String store = stores.add("local", "local");
    for (int day = 20; day <= 25; day++) {
      stores.recordDuration(store, stores.write(store, dump("2026-11-" + day), 1000), 60);
    }
    BackupMetadata newest = stores.write(store, dump("2026-11-26"), 5000);
    stores.recordDuration(store, newest, 90);

    BackupCheckFreshnessInput fresh =
        new BackupCheckFreshnessInput(
            store, "postgresql", "dump", "daily", "12h", true, stores.targets);
    BackupCheckFreshnessResult ok = backups.checkFreshness(fresh);
    ApplicationFailure stale =
        failure(
            catchThrowable(
                () ->
                    backups.checkFreshness(
                        new BackupCheckFreshnessInput(
                            store, "postgresql", "dump", "daily", "30m", true, stores.targets))));
    BackupCheckFreshnessResult reported =
        backups.checkFreshness(
            new BackupCheckFreshnessInput(
                store, "postgresql", "dump", "daily", "30m", false, stores.targets));
    ApplicationFailure oversized =
        failure(
            catchThrowable(
                () ->
                    backups.checkSize(
                        new BackupCheckSizeInput(
                            store, "postgresql", "dump", null, null, null, stores.targets))));

    assertThat(ok.ok()).isTrue();
    assertThat(ok.ageSeconds()).isEqualTo(35 * 3600);
    assertThat(ok.limitSeconds()).isEqualTo(36 * 3600);
    assertThat(ok.newestAt()).isEqualTo("2026-11-26T01:00:00Z");
    assertThat(stale.getType()).isEqualTo("BackupStale");
    assertThat(stale.isNonRetryable()).isTrue();
    assertThat(stale.getOriginalMessage())
        .contains("backup_20261126_010000 is 35h old, more than 24h + 30m grace");
    assertThat(reported.ok()).isFalse();
    assertThat(oversized.getType()).isEqualTo("BackupOversized");
    BackupCheckDurationInput duration =
        new BackupCheckDurationInput(store, "postgresql", "dump", null, null, null, stores.targets);
    assertThat(backups.checkDuration(duration).ok()).isTrue();
    stores.recordDuration(store, newest, 150);
    ApplicationFailure slow = failure(catchThrowable(() -> backups.checkDuration(duration)));
    assertThat(slow.getType()).isEqualTo("BackupSlow");
    assertThat(slow.getOriginalMessage()).contains("took 150.0s, 2.50 times the usual 60.0s");
  }

  @Test
  void aTargetThatIsNotABackupStoreIsInvalidInput() {
    stores.targets.put(
        "api", new ObjectMapper().createObjectNode().put("kind", "http").put("url", "http://x"));

    ApplicationFailure invalid =
        failure(catchThrowable(() -> backups.list(BackupListInput.of("api", stores.targets))));

    assertThat(invalid.getType()).isEqualTo("InvalidInput");
    assertThat(invalid.getOriginalMessage())
        .isEqualTo("store names target 'api', a http target; a backupStore target is needed");
  }

  /**
   * A WAL segment's bytes: PostgreSQL 15's long page header naming {@code systemIdentifier}, then
   * {@code body}.
   */
  private static byte[] segmentBytes(long systemIdentifier, String body) {
    java.nio.ByteBuffer bytes =
        java.nio.ByteBuffer.allocate(40 + body.length()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    bytes
        .putShort(0, (short) 0xD110)
        .putShort(2, (short) 0x0002)
        .putInt(4, 1)
        .putLong(24, systemIdentifier)
        .putInt(32, 16 * 1024 * 1024)
        .putInt(36, 8192);
    bytes.position(40);
    bytes.put(body.getBytes());
    return bytes.array();
  }
}
