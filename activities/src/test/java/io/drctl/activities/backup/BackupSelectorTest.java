package io.drctl.activities.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.drctl.activities.ActionFailures;
import io.drctl.store.StoreConfig;
import io.drctl.store.catalog.BackupCatalog;
import io.drctl.store.catalog.BackupMetadata;
import io.drctl.store.catalog.BackupRequest;
import io.drctl.store.catalog.BackupType;
import io.drctl.store.local.LocalObjectStore;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one selector grammar, over backups written to a real local catalog. */
class BackupSelectorTest {
  private static final BackupSelector ANY = new BackupSelector("postgresql", null, null, false);
  private static final BackupSelector DUMPS = new BackupSelector("postgresql", "dump", null, false);

  @TempDir Path directory;
  private final List<BackupMetadata> backups = new ArrayList<>();

  @BeforeEach
  void backups() throws IOException {
    BackupCatalog catalog = new BackupCatalog(new LocalObjectStore(directory));
    backups.add(write(catalog, "m1", BackupType.MONTHLY, "dump", "2025-12-01T02:00:00Z"));
    backups.add(write(catalog, "w1", BackupType.WEEKLY, "dump", "2025-12-21T03:00:00Z"));
    backups.add(write(catalog, "s1", BackupType.MANUAL, "dump", "2025-12-22T09:00:00Z"));
    backups.add(write(catalog, "d1", BackupType.DAILY, "dump", "2025-12-25T01:00:00Z"));
    backups.add(write(catalog, "d2", BackupType.DAILY, "dump", "2025-12-26T01:00:00Z"));
    backups.add(write(catalog, "d3", BackupType.DAILY, "dump", "2025-12-26T13:00:00Z"));
    backups.add(write(catalog, "b1", BackupType.BASEBACKUP, "tar", "2025-12-27T00:30:00Z"));
    BackupMetadata corrupt = write(catalog, "d4", BackupType.DAILY, "dump", "2025-12-27T01:00:00Z");
    backups.add(catalog.markCorrupt(corrupt, "sha256 mismatch"));
    backups.add(
        catalog.write(
            BackupRequest.of("redis", BackupType.DAILY, "rdb")
                .withBackupId("r1")
                .withTimestamp(Instant.parse("2025-12-28T01:00:00Z")),
            out -> out.write(1)));
  }

  @Test
  void eachWordPicksTheNewestUsableBackupOfItsKindAndSkipsCorruptOnes() {
    assertThat(id(ANY, "latest")).isEqualTo("b1");
    assertThat(id(DUMPS, "latest")).as("corrupt d4 and base backup b1 skipped").isEqualTo("d3");
    assertThat(id(DUMPS, "20251226")).isEqualTo("d3");
    assertThat(id(DUMPS, "weekly")).isEqualTo("w1");
    assertThat(id(DUMPS, "monthly")).isEqualTo("m1");
    assertThat(id(DUMPS, "manual")).isEqualTo("s1");
    assertThat(id(new BackupSelector("postgresql", "basebackup", null, false), "latest"))
        .isEqualTo("b1");
    assertThat(
            id(
                new BackupSelector(
                    "postgresql", "dump", Instant.parse("2025-12-26T00:00:00Z"), false),
                "latest"))
        .isEqualTo("d1");
  }

  @Test
  void anExactIdNamesThatBackupUnlessItIsCorrupt() {
    assertThat(id(ANY, "d2")).isEqualTo("d2");
    assertThat(id(ANY, "b1")).isEqualTo("b1");

    ApplicationFailure corrupt = applicationFailure(() -> id(ANY, "d4"));
    assertThat(corrupt.getType()).isEqualTo(BackupFailures.BACKUP_CORRUPT);
    assertThat(corrupt.getOriginalMessage()).contains("d4").contains("sha256 mismatch");
  }

  @Test
  void nothingMatchingIsNoBackupFoundSayingWhatTheStoreHas() {
    ApplicationFailure day = applicationFailure(() -> id(DUMPS, "20251224"));
    ApplicationFailure unknown = applicationFailure(() -> id(ANY, "nope"));
    ApplicationFailure badDate = applicationFailure(() -> id(DUMPS, "20251399"));

    assertThat(day.getType()).isEqualTo(BackupFailures.NO_BACKUP_FOUND);
    assertThat(day.getOriginalMessage())
        .contains("'20251224'")
        .contains("format dump")
        .contains("8 postgresql backups (7 usable)")
        .contains("newest d4");
    assertThat(unknown.getType()).isEqualTo(BackupFailures.NO_BACKUP_FOUND);
    assertThat(badDate.getType()).isEqualTo(ActionFailures.INVALID_INPUT);
  }

  @Test
  void s3NeedsAnS3StoreAndThenMeansTheNewest() {
    ApplicationFailure local =
        applicationFailure(
            () -> DUMPS.select("s3", backups, "backups-local", StoreConfig.Kind.LOCAL));

    assertThat(local.getType()).isEqualTo(BackupFailures.STORE_MISMATCH);
    assertThat(DUMPS.select("s3", backups, "backups-s3", StoreConfig.Kind.S3).backupId())
        .isEqualTo("d3");
  }

  private static ApplicationFailure applicationFailure(Runnable call) {
    return catchThrowableOfType(ApplicationFailure.class, call::run);
  }

  private String id(BackupSelector selector, String word) {
    return selector.select(word, backups, "backups-local", StoreConfig.Kind.LOCAL).backupId();
  }

  private static BackupMetadata write(
      BackupCatalog catalog, String id, BackupType type, String format, String at)
      throws IOException {
    return catalog.write(
        BackupRequest.of("postgresql", type, format)
            .withBackupId(id)
            .withTimestamp(Instant.parse(at)),
        out -> out.write(1));
  }
}
