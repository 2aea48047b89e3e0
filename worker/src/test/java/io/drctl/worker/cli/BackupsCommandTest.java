package io.drctl.worker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.drctl.store.catalog.BackupCatalog;
import io.drctl.store.catalog.BackupKeys;
import io.drctl.store.catalog.BackupMetadata;
import io.drctl.store.catalog.BackupRequest;
import io.drctl.store.catalog.BackupType;
import io.drctl.store.local.LocalObjectStore;
import io.drctl.store.object.ObjectStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code drctl backups} against a real local store. */
class BackupsCommandTest {
  @TempDir Path store;

  /** Daily dumps of the last 27 days, oldest first; the last one is today's. */
  private final List<BackupMetadata> dumps = new ArrayList<>();

  @BeforeEach
  void seed() throws IOException {
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    try (ObjectStore objects = new LocalObjectStore(store)) {
      BackupCatalog catalog = new BackupCatalog(objects);
      for (int ago = 26; ago >= 0; ago--) {
        LocalDate day = today.minusDays(ago);
        BackupRequest request =
            BackupRequest.of("postgresql", BackupType.DAILY, "dump")
                .withBackupId("backup_" + day.format(DateTimeFormatter.BASIC_ISO_DATE) + "_000000")
                .withTimestamp(day.atStartOfDay().toInstant(ZoneOffset.UTC));
        dumps.add(
            catalog.write(
                request, new ByteArrayInputStream(("dump " + day).repeat(500).getBytes())));
      }
    }
  }

  private BackupMetadata newest() {
    return dumps.get(dumps.size() - 1);
  }

  @Test
  void listPrintsTheBackupsNewestFirstAsATableOrJson() throws IOException {
    CliRun table = CliRun.of("backups", "list", "--store", store.toString(), "--limit", "3");
    CliRun json = CliRun.of("backups", "list", "--store", store.toString(), "--format", "json");

    assertThat(table.exitCode()).isZero();
    List<String> lines = table.out().lines().toList();
    assertThat(lines.get(0))
        .startsWith("id")
        .contains("service", "format", "schedule", "taken", "size", "restorability");
    assertThat(lines).hasSize(5);
    assertThat(lines.get(2))
        .startsWith(newest().backupId())
        .contains("postgresql", "dump", "daily", "NONE");
    JsonNode listed = new ObjectMapper().readTree(json.out());
    assertThat(listed).hasSize(27);
    assertThat(listed.get(0).path("backup_id").asText()).isEqualTo(newest().backupId());
    assertThat(listed.get(0).path("checksum").asText()).startsWith("sha256:");
  }

  @Test
  void showResolvesSelectorsAgainstTheStoresOnlyService() {
    CliRun latest = CliRun.of("backups", "show", "latest", "--store", store.toString());
    CliRun byId =
        CliRun.of("backups", "show", dumps.get(0).backupId(), "--store", store.toString());

    assertThat(latest.exitCode()).isZero();
    assertThat(latest.out())
        .contains("backup_id: " + newest().backupId(), "type: daily", "location: local:" + store);
    assertThat(byId.out()).contains("backup_id: " + dumps.get(0).backupId());
  }

  @Test
  void verifyPassesOnAGoodBackupAndFailsInOneLineOnAFlippedByte() throws IOException {
    CliRun good = CliRun.of("backups", "verify", newest().backupId(), "--store", store.toString());
    try (ObjectStore objects = new LocalObjectStore(store)) {
      byte[] stored = objects.read(BackupKeys.dataKey(newest()));
      stored[stored.length / 2] ^= 0x01;
      objects.put(BackupKeys.dataKey(newest()), stored);
    }
    CliRun corrupt =
        CliRun.of("backups", "verify", newest().backupId(), "--store", store.toString());
    CliRun latestAfter = CliRun.of("backups", "show", "latest", "--store", store.toString());

    assertThat(good.exitCode()).isZero();
    assertThat(good.out())
        .contains(
            newest().backupId() + ": checksum ok, decompressed end to end",
            "restorability CHECKSUM_OK");
    assertThat(corrupt.exitCode()).isEqualTo(1);
    assertThat(corrupt.err())
        .startsWith("drctl: ")
        .contains(newest().backupId())
        .doesNotContain("\tat ");
    assertThat(corrupt.err().lines()).hasSize(1);
    assertThat(latestAfter.out()).contains("backup_id: " + dumps.get(dumps.size() - 2).backupId());
  }

  @Test
  void pruneIsADryRunUntilApplyAndThenKeepsTheNewestSeven() {
    CliRun dryRun = CliRun.of("backups", "prune", "--store", store.toString(), "--max-age", "7d");
    CliRun listedAfterDryRun =
        CliRun.of("backups", "list", "--store", store.toString(), "--format", "json");
    CliRun applied =
        CliRun.of("backups", "prune", "--store", store.toString(), "--max-age", "7d", "--apply");
    CliRun again =
        CliRun.of("backups", "prune", "--store", store.toString(), "--max-age", "7d", "--apply");
    CliRun listed = CliRun.of("backups", "list", "--store", store.toString());

    assertThat(dryRun.exitCode()).isZero();
    assertThat(dryRun.out())
        .contains("daily 7, weekly 4, monthly 12, wal 7d, maxAge 7d")
        .containsPattern("keep +" + newest().backupId() + " +postgresql/dump .* daily #1 ")
        .contains("backups: 7 kept, 20 to delete")
        .contains("dry run: nothing deleted; run again with --apply to delete");
    assertThat(listedAfterDryRun.out()).contains(dumps.get(0).backupId());
    assertThat(applied.out()).contains("deleted 20 backups and 0 WAL files");
    assertThat(again.out()).contains("nothing to delete");
    assertThat(listed.out().lines()).hasSize(2 + 7);
    assertThat(listed.out()).doesNotContain(dumps.get(0).backupId());
  }

  @Test
  void statusShowsTheLastBackupOfEachTypeAndTheLastVerification() {
    CliRun.of("backups", "verify", "latest", "--store", store.toString());

    CliRun status = CliRun.of("backups", "status", "--store", store.toString());
    CliRun json = CliRun.of("backups", "status", "--store", store.toString(), "--format", "json");

    assertThat(status.exitCode()).isZero();
    assertThat(status.out())
        .contains("27 backups")
        .containsPattern("postgresql/daily +ok +" + newest().backupId())
        .contains("last verification: " + newest().backupId() + " (postgresql) CHECKSUM_OK");
    assertThat(status.out())
        .containsPattern(
            "ok +freshness +newest daily postgresql/dump backup " + newest().backupId())
        .containsPattern(
            "ok +verification +no failed verification among 7 postgresql/dump backups");
    assertThat(json.out())
        .contains("\"last_verification\"", "\"postgresql/daily\"", "\"checks\"", "\"freshness\"");
  }

  @Test
  void aMalformedGraceIsNamedAsTheOptionItCameFrom() {
    CliRun status = CliRun.of("backups", "status", "--store", store.toString(), "--grace", "soon");

    assertThat(status.exitCode()).isEqualTo(2);
    assertThat(status.err())
        .isEqualTo("drctl: --grace 'soon': not a duration such as 30m, 2h or 1h30m\n");
  }

  @Test
  void badStoreChoicesEndInOneClearLine() {
    CliRun none = CliRun.of("backups", "list");
    CliRun missing = CliRun.of("backups", "list", "--store", store.resolve("nope").toString());
    CliRun unknownTarget =
        CliRun.of("backups", "list", "-r", "../runbooks/dr-runbook.json", "--target", "nope");
    CliRun noCredentials =
        CliRun.of("backups", "list", "-r", "../runbooks/dr-runbook.json", "--target", "backups-s3");
    CliRun selectorWithoutBackups =
        CliRun.of("backups", "show", "no_such_backup", "--store", store.toString());

    assertThat(none.exitCode()).isEqualTo(2);
    assertThat(none.err())
        .isEqualTo(
            "drctl: which store? give --store DIR (a local store) or --target NAME (a backupStore target of -r RUNBOOK)\n");
    assertThat(missing.err())
        .isEqualTo("drctl: --store " + store.resolve("nope") + ": no such directory\n");
    assertThat(unknownTarget.err())
        .isEqualTo(
            "drctl: ../runbooks/dr-runbook.json has no target 'nope'; its backupStore targets: backups-local, backups-s3\n");
    assertThat(noCredentials.exitCode()).isEqualTo(2);
    assertThat(noCredentials.err())
        .startsWith("drctl: secret env:DRCTL_S3_ACCESS_KEY_ID is not available");
    assertThat(selectorWithoutBackups.exitCode()).isEqualTo(1);
    assertThat(selectorWithoutBackups.err().lines()).hasSize(1);
  }
}
