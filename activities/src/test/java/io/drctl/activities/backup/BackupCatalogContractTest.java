package io.drctl.activities.backup;

import static io.drctl.activities.http.CatalogWire.action;
import static io.drctl.activities.http.CatalogWire.names;
import static io.drctl.activities.http.CatalogWire.onTheWire;
import static io.drctl.activities.http.CatalogWire.received;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.drctl.activities.ActionPackContract;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The backup records and activity types agree with {@code io/drctl/catalog/backup.json}. No store
 * needed.
 */
class BackupCatalogContractTest extends ActionPackContract {
  BackupCatalogContractTest() {
    super(
        "backup.",
        BackupActivitiesImpl.class,
        "{\"store\": \"local\", \"source\": \"a\", \"destination\": \"b\"}");
  }

  private static final Map<String, JsonNode> TARGETS =
      Map.of(
          "local",
          new ObjectMapper()
              .createObjectNode()
              .put("kind", "backupStore")
              .put("store", "local")
              .put("path", "/b"));
  private static final JsonNode RETENTION =
      new ObjectMapper()
          .createObjectNode()
          .put("daily", 1)
          .put("weekly", 1)
          .put("monthly", 1)
          .put("wal", "1d")
          .put("maxAge", "2d");
  private static final BackupRecord RECORD =
      new BackupRecord(
          "b",
          "postgresql",
          "dump",
          "daily",
          "2026-01-01T00:00:00Z",
          1,
          1.5,
          "sha256:0",
          true,
          "VERIFIED");

  /** Each action with an input whose every optional field is set, and a result with every field. */
  static Stream<Arguments> actions() {
    return Stream.of(
        Arguments.of(
            "backup.list",
            new BackupListInput(
                "local", "postgresql", "dump", "daily", "2026-01-01T00:00:00Z", 10, TARGETS),
            new BackupListResult(1, 1, List.of(RECORD), "b")),
        Arguments.of(
            "backup.select",
            new BackupSelectInput(
                "local", "latest", "postgresql", "dump", "2026-01-01T00:00:00Z", true, TARGETS),
            new BackupSelectResult(
                "b",
                "2026-01-01T00:00:00Z",
                1,
                "sha256:0",
                1.5,
                "/b/x",
                "postgresql",
                "dump",
                "daily",
                true,
                "VERIFIED",
                3)),
        Arguments.of(
            "backup.verify",
            new BackupVerifyInput("local", "latest", "postgresql", false, TARGETS),
            new BackupVerifyResult("b", true, true, true, 1)),
        Arguments.of(
            "backup.prune",
            new BackupPruneInput("local", false, "redis", RETENTION, TARGETS),
            new BackupPruneResult(false, 1, 2, 3, 4, List.of("b"))),
        Arguments.of(
            "backup.replicate",
            new BackupReplicateInput("local", "s3", List.of("b"), "postgresql", false, TARGETS),
            new BackupReplicateResult(1, 0, 2, 3, List.of("b"))),
        Arguments.of(
            "backup.status",
            new BackupStatusInput("local", "postgresql", TARGETS),
            new BackupStatusResult(
                1,
                2,
                3,
                "2026-01-01T00:00:00Z",
                "2026-01-01T00:00:00Z",
                "2026-01-01T00:00:00Z",
                "VERIFIED",
                "2026-01-01T00:00:00Z",
                "2026-01-01T00:00:00Z")),
        Arguments.of(
            "backup.recordRestoreTest",
            new BackupRecordRestoreTestInput("local", "b", "VERIFIED", "INC-1", "ok", TARGETS),
            new BackupRecordRestoreTestResult("b", "VERIFIED", "2026-01-01T00:00:00Z")),
        Arguments.of(
            "backup.checkFreshness",
            new BackupCheckFreshnessInput(
                "local", "postgresql", "dump", "weekly", "1h", false, TARGETS),
            new BackupCheckFreshnessResult(true, "b", "2026-01-01T00:00:00Z", 10L, 20)),
        Arguments.of(
            "backup.checkSize",
            new BackupCheckSizeInput("local", "postgresql", "dump", 0.5, 3, false, TARGETS),
            new BackupCheckSizeResult(true, "b", 10L, 9L, 1.1)),
        Arguments.of(
            "backup.checkDuration",
            new BackupCheckDurationInput("local", "postgresql", "dump", 3.0, 3, false, TARGETS),
            new BackupCheckDurationResult(true, "b", 10.5, 9.5, 1.1)));
  }

  @Test
  void limitsAreTheCatalogs() {
    assertThat(BackupListInput.LIMIT_MAXIMUM)
        .isEqualTo(
            action("backup.list")
                .params()
                .path("properties")
                .path("limit")
                .path("maximum")
                .asInt());
    assertThat(BackupCheckSizeInput.WINDOW_MAXIMUM)
        .isEqualTo(
            action("backup.checkSize")
                .params()
                .path("properties")
                .path("window")
                .path("maximum")
                .asInt())
        .isEqualTo(
            action("backup.checkDuration")
                .params()
                .path("properties")
                .path("window")
                .path("maximum")
                .asInt());
  }

  @Test
  void theWorkflowsWithAndTargetsReachTheActivityWithUnknownFieldsIgnored() {
    BackupPruneInput input =
        received(
            "{\"store\": \"backups-s3\", \"dryRun\": false, \"retention\": {\"daily\": 3}, \"addedLater\": 1,"
                + " \"$targets\": {\"backups-s3\": {\"kind\": \"backupStore\", \"store\": \"s3\", \"bucket\": \"b\","
                + " \"accessKeyId\": \"env:KEY\", \"secretAccessKey\": \"env:SECRET\"}}}",
            BackupPruneInput.class);

    assertThat(input.dryRun()).isFalse();
    assertThat(input.retention().path("daily").asInt()).isEqualTo(3);
    assertThat(input.targets().get("backups-s3").path("bucket").asText()).isEqualTo("b");
    assertThat(input.toString()).contains("$targets=[backups-s3]").doesNotContain("env:SECRET");
  }

  @Test
  void resultsWithoutHistoryLeaveTheUnmeasuredFiguresOut() {
    assertThat(names(onTheWire(new BackupCheckSizeResult(true, "b", 10L, null, null))))
        .containsExactly("ok", "backupId", "sizeBytes");
    assertThat(
            names(
                onTheWire(
                    new BackupStatusResult(0, 0, 0, null, null, null, "UNTESTED", null, null))))
        .containsExactly("backups", "totalBytes", "walBytes", "lastRestoreTest");
  }
}
