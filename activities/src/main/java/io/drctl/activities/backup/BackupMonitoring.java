package io.drctl.activities.backup;

import io.drctl.activities.ActionFailures;
import io.drctl.activities.secrets.SecretResolver;
import io.drctl.store.monitor.BackupChecks;
import io.drctl.store.monitor.BackupSample;
import io.drctl.store.monitor.CheckResult;
import io.drctl.store.retention.BackupKinds;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/** {@code backup.checkFreshness}, {@code backup.checkSize} and {@code backup.checkDuration}. */
final class BackupMonitoring {
  private final SecretResolver secrets;
  private final Clock clock;

  BackupMonitoring(SecretResolver secrets, Clock clock) {
    this.secrets = secrets;
    this.clock = clock;
  }

  BackupCheckFreshnessResult checkFreshness(BackupCheckFreshnessInput input) {
    BackupInputs.present("backup.checkFreshness", input);
    String schedule =
        BackupInputs.oneOf(
            "schedule", input.schedule(), java.util.Set.of("daily", "weekly", "monthly"));
    var grace = BackupInputs.duration("grace", input.grace());
    Series series = series(input.store(), input.service(), input.format(), input.targets());
    Instant now = clock.instant();
    CheckResult check =
        BackupChecks.freshness(series.name(), series.samples(), schedule, grace, now);
    BackupCheckFreshnessResult result =
        new BackupCheckFreshnessResult(
            check.ok(),
            check.backupId(),
            check.figures().containsKey("ageSeconds")
                ? now.minusSeconds(check.whole("ageSeconds")).toString()
                : null,
            check.figures().containsKey("ageSeconds") ? check.whole("ageSeconds") : null,
            check.whole("limitSeconds"));
    return verdict(check, input.failOnProblem(), BackupFailures.BACKUP_STALE, result);
  }

  BackupCheckSizeResult checkSize(BackupCheckSizeInput input) {
    BackupInputs.present("backup.checkSize", input);
    double threshold = BackupInputs.atLeast("threshold", input.threshold(), 0);
    int window =
        BackupInputs.between("window", input.window(), 1, BackupCheckSizeInput.WINDOW_MAXIMUM);
    Series series = series(input.store(), input.service(), input.format(), input.targets());
    CheckResult check = BackupChecks.size(series.name(), series.samples(), threshold, window);
    BackupCheckSizeResult result =
        new BackupCheckSizeResult(
            check.ok(),
            check.backupId(),
            check.figures().containsKey("sizeBytes") ? check.whole("sizeBytes") : null,
            check.figures().containsKey("averageBytes") ? check.whole("averageBytes") : null,
            check.figures().containsKey("ratio") ? check.number("ratio") : null);
    return verdict(check, input.failOnProblem(), BackupFailures.BACKUP_OVERSIZED, result);
  }

  BackupCheckDurationResult checkDuration(BackupCheckDurationInput input) {
    BackupInputs.present("backup.checkDuration", input);
    double factor = BackupInputs.atLeast("factor", input.factor(), 1);
    int window =
        BackupInputs.between("window", input.window(), 1, BackupCheckSizeInput.WINDOW_MAXIMUM);
    Series series = series(input.store(), input.service(), input.format(), input.targets());
    CheckResult check = BackupChecks.duration(series.name(), series.samples(), factor, window);
    BackupCheckDurationResult result =
        new BackupCheckDurationResult(
            check.ok(),
            check.backupId(),
            check.figures().containsKey("durationSeconds") ? check.number("durationSeconds") : null,
            check.figures().containsKey("usualSeconds") ? check.number("usualSeconds") : null,
            check.figures().containsKey("ratio") ? check.number("ratio") : null);
    return verdict(check, input.failOnProblem(), BackupFailures.BACKUP_SLOW, result);
  }

  private record Series(String name, List<BackupSample> samples) {}

  private Series series(
      String storeName,
      String service,
      String format,
      java.util.Map<String, com.fasterxml.jackson.databind.JsonNode> targets) {
    String checked =
        BackupInputs.oneOf(
            "service", BackupInputs.required("service", service), BackupInputs.SERVICES);
    String kind = BackupInputs.oneOf("format", format, BackupInputs.FORMATS);
    try (StoreSession store = StoreSession.open(targets, "store", storeName, secrets)) {
      List<BackupSample> samples =
          store.catalog().list(checked).stream()
              .filter(b -> kind == null || kind.equals(BackupKinds.format(b)))
              .map(BackupSample::of)
              .toList();
      return new Series(
          checked + "/" + (kind == null ? "any" : kind) + " in store '" + storeName + "'", samples);
    }
  }

  private static <T> T verdict(CheckResult check, boolean failOnProblem, String type, T result) {
    if (!check.ok() && failOnProblem) {
      throw ActionFailures.nonRetryable(type, check.message(), result);
    }
    return result;
  }
}
