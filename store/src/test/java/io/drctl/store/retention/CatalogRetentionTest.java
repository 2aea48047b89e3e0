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
  @TempDir Path temp;

  private static BackupMetadata dump(BackupCatalog catalog, LocalDate day, int seed) throws IOException {
    BackupRequest request =
        BackupRequest.of("postgresql", BackupType.DAILY, "dump")
            .withBackupId(RetentionBackups.id(day))
            .withTimestamp(RetentionBackups.at(day));
    return catalog.write(request, new ByteArrayInputStream(("dump of " + day + " #" + seed).repeat(100).getBytes()));
  }

  @Test
  void pruningAStoreKeepsTheGfsSetAndDeletesTheRestMetadataAndData() throws IOException {
    try (ObjectStore store = new LocalObjectStore(temp.resolve("store"))) {
      BackupCatalog catalog = new BackupCatalog(store);
      for (LocalDate day = LocalDate.parse("2026-10-01"); !day.isAfter(LocalDate.parse("2026-11-27")); day = day.plusDays(1)) {
        dump(catalog, day, day.getDayOfMonth());
      }
      CatalogRetention retention = new CatalogRetention(catalog, null);
      Instant now = Instant.parse("2026-11-27T12:00:00Z");

      RetentionPlan plan = retention.plan("postgresql", now, RetentionPolicy.SEED);
      RetentionPlanner.apply(plan, retention);

      assertThat(catalog.list("postgresql")).extracting(BackupMetadata::backupId)
          .containsExactlyInAnyOrder(
              "backup_20261031_010000", "backup_20261108_010000", "backup_20261115_010000",
              "backup_20261121_010000", "backup_20261122_010000", "backup_20261123_010000",
              "backup_20261124_010000", "backup_20261125_010000", "backup_20261126_010000",
              "backup_20261127_010000");
      assertThat(store.list(BackupKeys.ROOT)).allMatch(object -> plan.kept().stream()
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
      Assertions.assertThatThrownBy(() -> catalog.verify(recent)).isInstanceOf(BackupCorruptException.class);
      CatalogRetention retention = new CatalogRetention(catalog, null);

      RetentionPlan plan =
          retention.plan(null, Instant.parse("2026-11-27T12:00:00Z"), RetentionPolicy.SEED.withMaxAge(Duration.ofDays(7)));
      RetentionPlanner.apply(plan, retention);

      assertThat(plan.kept()).singleElement().extracting(BackupDecision::reason).isEqualTo("only restorable backup");
      assertThat(catalog.list(null)).extracting(BackupMetadata::backupId).containsExactly(old.backupId());
    }
  }

  @Test
  void walThatAKeptBaseBackupNeedsSurvivesThePrune() throws IOException {
    try (ObjectStore store = new LocalObjectStore(temp.resolve("store"))) {
      BackupCatalog catalog = new BackupCatalog(store);
      WalArchive wal = new WalArchive(store, CatalogRetention.WAL_PREFIX);
      Path segments = Files.createDirectories(temp.resolve("pg_wal"));
      for (int n = 1; n <= 6; n++) {
        Path segment = segments.resolve(RetentionWalTest.segment(n));
        Files.write(segment, ("wal " + n).repeat(1000).getBytes());
        wal.push(segment);
      }
      Files.writeString(segments.resolve("00000002.history"), "1\t0/3000000\tno recovery target\n");
      wal.push(segments.resolve("00000002.history"));
      BackupRequest base =
          BackupRequest.of("postgresql", BackupType.BASEBACKUP, "tar")
              .withBackupId("base_20261101")
              .withTimestamp(Instant.parse("2026-11-01T02:00:00Z"))
              .withWal(new BackupMetadata.WalRange("0/3000028", "0/4000100",
                  RetentionWalTest.segment(3), RetentionWalTest.segment(4), 1));
      catalog.write(base, new ByteArrayInputStream("base".repeat(1000).getBytes()));
      CatalogRetention retention = new CatalogRetention(catalog, wal);
      // Everything was archived just now; a month later all of it is outside the 7-day window.
      Instant monthLater = Instant.now().plus(Duration.ofDays(30));

      RetentionPlan plan = retention.plan("postgresql", monthLater, RetentionPolicy.SEED);
      RetentionPlanner.apply(plan, retention);

      assertThat(wal.list()).extracting(WalArchive.WalFile::name)
          .containsExactlyInAnyOrder("00000002.history", RetentionWalTest.segment(3), RetentionWalTest.segment(4),
              RetentionWalTest.segment(5), RetentionWalTest.segment(6));
      assertThat(plan.walDeletions()).extracting(d -> d.wal().name())
          .containsExactly(RetentionWalTest.segment(1), RetentionWalTest.segment(2));
      assertThat(catalog.list("postgresql")).extracting(BackupMetadata::backupId).containsExactly("base_20261101");
      assertThat(retention.plan("postgresql", monthLater, RetentionPolicy.SEED).deletesNothing()).isTrue();
    }
  }

  @Test
  void formatAndScheduleFollowTheActionCatalog() throws IOException {
    try (ObjectStore store = new LocalObjectStore(temp.resolve("store"))) {
      BackupCatalog catalog = new BackupCatalog(store);
      BackupMetadata dump = dump(catalog, LocalDate.parse("2026-11-20"), 1);
      BackupMetadata rdb = catalog.write(
          BackupRequest.of("redis", BackupType.WEEKLY, "rdb").withBackupId("redis_1"),
          new ByteArrayInputStream(new byte[] {1, 2, 3}));
      BackupMetadata full = catalog.write(
          BackupRequest.of("postgresql", BackupType.FULL, "dump").withBackupId("full_1"),
          new ByteArrayInputStream(new byte[] {1, 2, 3}));

      assertThat(List.of(BackupKinds.format(dump), BackupKinds.schedule(dump))).containsExactly("dump", "daily");
      assertThat(List.of(BackupKinds.format(rdb), BackupKinds.schedule(rdb))).containsExactly("rdb", "weekly");
      assertThat(List.of(BackupKinds.format(full), BackupKinds.schedule(full))).containsExactly("dump", "manual");
    }
  }
}
