package io.drctl.store.retention;

import static org.assertj.core.api.Assertions.assertThat;

import io.drctl.store.BackupCorruptException;
import io.drctl.store.catalog.BackupCatalog;
import io.drctl.store.catalog.BackupKeys;
import io.drctl.store.catalog.BackupMetadata;
import io.drctl.store.catalog.BackupRequest;
import io.drctl.store.catalog.BackupType;
import io.drctl.store.local.LocalObjectStore;
import io.drctl.store.object.ObjectStore;
import io.drctl.store.wal.SystemIdentifier;
import io.drctl.store.wal.TestSegments;
import io.drctl.store.wal.WalArchive;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Retention of a real local store through its catalog and WAL archive. */
class CatalogRetentionTest {
  private static final long CLUSTER = 7_311_232_549_262_331_234L;
  private static final long REINITIALISED = 7_400_000_000_000_000_001L;
  @TempDir Path temp;

  private static BackupMetadata dump(BackupCatalog catalog, LocalDate day, int seed)
      throws IOException {
    BackupRequest request =
        BackupRequest.of("postgresql", BackupType.DAILY, "dump")
            .withBackupId(RetentionBackups.id(day))
            .withTimestamp(RetentionBackups.at(day));
    return catalog.write(
        request, new ByteArrayInputStream(("dump of " + day + " #" + seed).repeat(100).getBytes()));
  }

  @Test
  void pruningAStoreKeepsTheGfsSetAndDeletesTheRestMetadataAndData() throws IOException {
    try (ObjectStore store = new LocalObjectStore(temp.resolve("store"))) {
      BackupCatalog catalog = new BackupCatalog(store);
      for (LocalDate day = LocalDate.parse("2026-10-01");
          !day.isAfter(LocalDate.parse("2026-11-27"));
          day = day.plusDays(1)) {
        dump(catalog, day, day.getDayOfMonth());
      }
      CatalogRetention retention = new CatalogRetention(catalog, null);
      Instant now = Instant.parse("2026-11-27T12:00:00Z");

      RetentionPlan plan = retention.plan("postgresql", now, RetentionPolicy.SEED);
      RetentionPlanner.apply(plan, retention);

      assertThat(catalog.list("postgresql"))
          .extracting(BackupMetadata::backupId)
          .containsExactlyInAnyOrder(
              "backup_20261031_010000",
              "backup_20261108_010000",
              "backup_20261115_010000",
              "backup_20261121_010000",
              "backup_20261122_010000",
              "backup_20261123_010000",
              "backup_20261124_010000",
              "backup_20261125_010000",
              "backup_20261126_010000",
              "backup_20261127_010000");
      assertThat(store.list(BackupKeys.ROOT))
          .allMatch(
              object ->
                  plan.kept().stream()
                      .anyMatch(kept -> object.key().contains(kept.backup().backupId())));
      assertThat(retention.plan("postgresql", now, RetentionPolicy.SEED).deletesNothing()).isTrue();
    }
  }

  @Test
  void aCorruptBackupIsNotCountedAndTheOnlyGoodOneSurvivesItsMaxAge() throws IOException {
    try (ObjectStore store = new LocalObjectStore(temp.resolve("store"))) {
      BackupCatalog catalog = new BackupCatalog(store);
      BackupMetadata old = dump(catalog, LocalDate.parse("2026-09-01"), 1);
      BackupMetadata recent = dump(catalog, LocalDate.parse("2026-11-26"), 2);
      byte[] stored = store.read(BackupKeys.dataKey(recent));
      stored[stored.length / 2] ^= 0x01;
      store.put(BackupKeys.dataKey(recent), stored);
      Assertions.assertThatThrownBy(() -> catalog.verify(recent))
          .isInstanceOf(BackupCorruptException.class);
      CatalogRetention retention = new CatalogRetention(catalog, null);

      RetentionPlan plan =
          retention.plan(
              null,
              Instant.parse("2026-11-27T12:00:00Z"),
              RetentionPolicy.SEED.withMaxAge(Duration.ofDays(7)));
      RetentionPlanner.apply(plan, retention);

      assertThat(plan.kept())
          .singleElement()
          .extracting(BackupDecision::reason)
          .isEqualTo("only restorable backup");
      assertThat(catalog.list(null))
          .extracting(BackupMetadata::backupId)
          .containsExactly(old.backupId());
    }
  }

  @Test
  void walThatAKeptBaseBackupNeedsSurvivesThePrune() throws IOException {
    try (ObjectStore store = new LocalObjectStore(temp.resolve("store"))) {
      BackupCatalog catalog = new BackupCatalog(store);
      WalArchive wal = new WalArchive(store, CatalogRetention.WAL_PREFIX);
      Path segments = Files.createDirectories(temp.resolve("pg_wal"));
      for (int n = 1; n <= 6; n++) {
        wal.push(
            TestSegments.write(
                segments,
                RetentionWalTest.segment(n),
                CLUSTER,
                ("wal " + n).repeat(1000).getBytes()));
      }
      Files.writeString(segments.resolve("00000002.history"), "1\t0/3000000\tno recovery target\n");
      wal.push(
          new SystemIdentifier(CLUSTER), "00000002.history", segments.resolve("00000002.history"));
      BackupRequest base =
          BackupRequest.of("postgresql", BackupType.BASEBACKUP, "tar")
              .withBackupId("base_20261101")
              .withTimestamp(Instant.parse("2026-11-01T02:00:00Z"))
              .withWal(
                  new BackupMetadata.WalRange(
                      "0/3000028",
                      "0/4000100",
                      RetentionWalTest.segment(3),
                      RetentionWalTest.segment(4),
                      1,
                      String.valueOf(CLUSTER)));
      catalog.write(base, new ByteArrayInputStream("base".repeat(1000).getBytes()));
      CatalogRetention retention = new CatalogRetention(catalog, wal);
      // Everything was archived just now; a month later all of it is outside the 7-day window.
      Instant monthLater = Instant.now().plus(Duration.ofDays(30));

      RetentionPlan plan = retention.plan("postgresql", monthLater, RetentionPolicy.SEED);
      RetentionPlanner.apply(plan, retention);

      assertThat(wal.list())
          .extracting(WalArchive.WalFile::name)
          .containsExactlyInAnyOrder(
              "00000002.history",
              RetentionWalTest.segment(3),
              RetentionWalTest.segment(4),
              RetentionWalTest.segment(5),
              RetentionWalTest.segment(6));
      assertThat(plan.walDeletions())
          .extracting(d -> d.wal().name())
          .containsExactly(RetentionWalTest.segment(1), RetentionWalTest.segment(2));
      assertThat(catalog.list("postgresql"))
          .extracting(BackupMetadata::backupId)
          .containsExactly("base_20261101");
      assertThat(retention.plan("postgresql", monthLater, RetentionPolicy.SEED).deletesNothing())
          .isTrue();
    }
  }

  @Test
  void formatAndScheduleFollowTheActionCatalog() throws IOException {
    try (ObjectStore store = new LocalObjectStore(temp.resolve("store"))) {
      BackupCatalog catalog = new BackupCatalog(store);
      BackupMetadata dump = dump(catalog, LocalDate.parse("2026-11-20"), 1);
      BackupMetadata rdb =
          catalog.write(
              BackupRequest.of("redis", BackupType.WEEKLY, "rdb").withBackupId("redis_1"),
              new ByteArrayInputStream(new byte[] {1, 2, 3}));
      BackupMetadata full =
          catalog.write(
              BackupRequest.of("postgresql", BackupType.FULL, "dump").withBackupId("full_1"),
              new ByteArrayInputStream(new byte[] {1, 2, 3}));

      assertThat(List.of(BackupKinds.format(dump), BackupKinds.schedule(dump)))
          .containsExactly("dump", "daily");
      assertThat(List.of(BackupKinds.format(rdb), BackupKinds.schedule(rdb)))
          .containsExactly("rdb", "weekly");
      assertThat(List.of(BackupKinds.format(full), BackupKinds.schedule(full)))
          .containsExactly("dump", "manual");
    }
  }

  @Test
  void eachClustersWalIsKeptForItsOwnKeptBaseBackupsOnly() throws IOException {
    try (ObjectStore store = new LocalObjectStore(temp.resolve("store"))) {
      BackupCatalog catalog = new BackupCatalog(store);
      WalArchive wal = new WalArchive(store, CatalogRetention.WAL_PREFIX);
      for (long cluster : new long[] {CLUSTER, REINITIALISED}) {
        Path dir = temp.resolve("pg_wal_" + cluster);
        for (int n = 1; n <= 6; n++) {
          wal.push(
              TestSegments.write(
                  dir,
                  RetentionWalTest.segment(n),
                  cluster,
                  (cluster + " " + n).repeat(500).getBytes()));
        }
      }
      // Two files of an archive from before the per-cluster layout.
      for (int n : new int[] {1, 4}) {
        Path flat =
            TestSegments.write(
                temp.resolve("flat"), RetentionWalTest.segment(n), CLUSTER, new byte[100]);
        wal.pushLike(new WalArchive.WalFile(flat.getFileName().toString(), 0, null, null), flat);
      }
      base(catalog, "base_20261101", "2026-11-01T02:00:00Z", 3, CLUSTER);
      base(catalog, "base_20261102", "2026-11-02T02:00:00Z", 5, REINITIALISED);
      CatalogRetention retention = new CatalogRetention(catalog, wal);

      RetentionPlan plan =
          retention.plan(
              "postgresql", Instant.now().plus(Duration.ofDays(30)), RetentionPolicy.SEED);
      RetentionPlanner.apply(plan, retention);

      assertThat(catalog.list("postgresql")).hasSize(2);
      assertThat(wal.list())
          .extracting(WalArchive.WalFile::location)
          .containsExactlyInAnyOrder(
              CLUSTER + "/" + RetentionWalTest.segment(3),
              CLUSTER + "/" + RetentionWalTest.segment(4),
              CLUSTER + "/" + RetentionWalTest.segment(5),
              CLUSTER + "/" + RetentionWalTest.segment(6),
              REINITIALISED + "/" + RetentionWalTest.segment(5),
              REINITIALISED + "/" + RetentionWalTest.segment(6),
              RetentionWalTest.segment(4));
      assertThat(plan.walDeletions())
          .extracting(d -> d.wal().location())
          .contains(
              REINITIALISED + "/" + RetentionWalTest.segment(3),
              CLUSTER + "/" + RetentionWalTest.segment(2),
              RetentionWalTest.segment(1));
    }
  }

  private static void base(
      BackupCatalog catalog, String id, String at, int startSegment, long cluster)
      throws IOException {
    catalog.write(
        BackupRequest.of("postgresql", BackupType.BASEBACKUP, "tar")
            .withBackupId(id)
            .withTimestamp(Instant.parse(at))
            .withWal(
                new BackupMetadata.WalRange(
                    "0/" + startSegment + "000028",
                    "0/" + (startSegment + 1) + "000100",
                    RetentionWalTest.segment(startSegment),
                    RetentionWalTest.segment(startSegment + 1),
                    1,
                    String.valueOf(cluster))),
        new ByteArrayInputStream(id.repeat(100).getBytes()));
  }
}
