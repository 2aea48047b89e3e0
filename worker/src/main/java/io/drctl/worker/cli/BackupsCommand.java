package io.drctl.worker.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.drctl.activities.backup.BackupSelector;
import io.drctl.plan.Durations;
import io.drctl.store.BackupCorruptException;
import io.drctl.store.StoreConfig;
import io.drctl.store.StoreException;
import io.drctl.store.catalog.BackupCatalog;
import io.drctl.store.catalog.BackupMetadata;
import io.drctl.store.catalog.BackupStatus;
import io.drctl.store.monitor.BackupChecks;
import io.drctl.store.monitor.BackupSample;
import io.drctl.store.monitor.CheckResult;
import io.drctl.store.object.ObjectStore;
import io.drctl.store.open.ObjectStores;
import io.drctl.store.retention.BackupKinds;
import io.drctl.store.retention.CatalogRetention;
import io.drctl.store.retention.RetentionOutcome;
import io.drctl.store.retention.RetentionPlan;
import io.drctl.store.retention.RetentionPlanner;
import io.drctl.store.retention.RetentionPolicy;
import io.drctl.store.text.TextTable;
import io.drctl.store.wal.WalArchive;
import io.temporal.failure.ApplicationFailure;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code drctl backups list|show|verify|prune|status}: the backup store for operators, the same
 * catalog and retention the {@code backup.*} actions use. Store failures end in one line and exit
 * code 1; bad input in exit code 2.
 */
@Command(
    name = "backups",
    mixinStandardHelpOptions = true,
    description = "Backups in a backup store: list, show, verify, prune, status.",
    subcommands = {
      BackupsCommand.ListBackups.class,
      BackupsCommand.Show.class,
      BackupsCommand.Verify.class,
      BackupsCommand.Prune.class,
      BackupsCommand.Status.class
    })
final class BackupsCommand implements Runnable {
  static final int STORE_FAILURE = 1;
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .enable(SerializationFeature.INDENT_OUTPUT);

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** What every subcommand shares: the store, {@code --format}, and the one way failures end. */
  abstract static class StoreCommand implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @Mixin BackupStoreOptions store;

    @Mixin FormatOption output;

    /** The store's configuration, set when the command starts. */
    StoreConfig config;

    @Override
    public final Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      config = store.config(spec.commandLine().getErr());
      try (ObjectStore objects = ObjectStores.open(config)) {
        int code =
            run(
                new BackupCatalog(objects),
                new WalArchive(objects, CatalogRetention.WAL_PREFIX),
                out);
        out.flush();
        return code;
      } catch (BackupCorruptException e) {
        throw new Failures.UserError(e.getMessage(), STORE_FAILURE);
      } catch (StoreException e) {
        throw new Failures.UserError(
            "store " + config.describe() + ": " + e.getMessage(), STORE_FAILURE);
      } catch (IllegalArgumentException e) {
        throw new Failures.UserError(e.getMessage());
      }
    }

    abstract int run(BackupCatalog catalog, WalArchive wal, PrintWriter out);

    void printJson(PrintWriter out, Object value) {
      try {
        out.println(JSON.writeValueAsString(value));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("cannot print JSON: " + e.getOriginalMessage(), e);
      }
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "Lists backups, newest first.")
  static final class ListBackups extends StoreCommand {
    @Option(names = "--service", paramLabel = "SERVICE", description = "Only postgresql or redis.")
    String service;

    @Option(
        names = "--backup-format",
        paramLabel = "FORMAT",
        description =
            "Only dump, basebackup, rdb or aof (was --format, which now chooses human or json).")
    String format;

    @Option(
        names = "--limit",
        paramLabel = "N",
        defaultValue = "50",
        description = "At most this many (default: ${DEFAULT-VALUE}).")
    int limit;

    @Override
    int run(BackupCatalog catalog, WalArchive wal, PrintWriter out) {
      if (limit < 1) {
        throw new Failures.UserError("--limit " + limit + ": must be at least 1");
      }
      List<BackupMetadata> backups =
          catalog.list(service).stream()
              .filter(b -> format == null || format.equals(BackupKinds.format(b)))
              .sorted(Comparator.comparing(BackupMetadata::timestamp).reversed())
              .limit(limit)
              .toList();
      if (output.json()) {
        printJson(out, backups);
        return 0;
      }
      if (backups.isEmpty()) {
        out.println(
            "no backups in " + catalog.describe() + (service == null ? "" : " for " + service));
        return 0;
      }
      TextTable table =
          new TextTable(
              "id", "service", "format", "schedule", "taken", "size", "duration", "restorability");
      for (BackupMetadata b : backups) {
        table.row(
            b.backupId(),
            b.service(),
            BackupKinds.format(b),
            BackupKinds.schedule(b),
            IncidentPrinter.utc(b.timestamp()),
            b.sizeReadable(),
            String.format(Locale.ROOT, "%.1fs", b.durationSeconds()),
            b.restorability().name());
      }
      table.print(out);
      return 0;
    }
  }

  /**
   * Resolves an exact id (a corrupt backup too: it can still be shown and verified), or a selector
   * of {@code service} (or of the store's only service) by the catalog's grammar ({@link
   * BackupSelector}), in a store of {@code kind}.
   */
  static BackupMetadata resolve(
      BackupCatalog catalog, StoreConfig.Kind kind, String which, String service) {
    List<BackupMetadata> all = catalog.list(service);
    for (BackupMetadata backup : all) {
      if (backup.backupId().equals(which)) {
        return backup;
      }
    }
    String selected = service;
    if (selected == null) {
      TreeSet<String> services = new TreeSet<>();
      all.forEach(b -> services.add(b.service()));
      if (services.size() != 1) {
        throw new Failures.UserError(
            "'"
                + which
                + "' is not a backup id in "
                + catalog.describe()
                + (services.isEmpty()
                    ? " (it has no backups)"
                    : "; to use it as a selector give --service " + String.join("|", services)));
      }
      selected = services.first();
    }
    try {
      return new BackupSelector(selected, null, null, false)
          .select(which, all, catalog.describe(), kind);
    } catch (ApplicationFailure failure) {
      throw new Failures.UserError(failure.getOriginalMessage(), STORE_FAILURE);
    }
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description =
          "Shows one backup's metadata: an id, or latest, daily, weekly, monthly, manual, YYYYMMDD, s3.")
  static final class Show extends StoreCommand {
    @Parameters(paramLabel = "BACKUP", description = "Backup id or selector.")
    String which;

    @Option(
        names = "--service",
        paramLabel = "SERVICE",
        description = "The service a selector means.")
    String service;

    @Override
    int run(BackupCatalog catalog, WalArchive wal, PrintWriter out) {
      BackupMetadata backup = resolve(catalog, config.kind(), which, service);
      if (output.json()) {
        printJson(out, backup);
        return 0;
      }
      ObjectNode fields = JSON.valueToTree(backup);
      fields
          .fields()
          .forEachRemaining(
              field ->
                  out.println(
                      field.getKey()
                          + ": "
                          + (field.getValue().isValueNode()
                              ? field.getValue().asText()
                              : field.getValue().toString())));
      out.println(
          "location: "
              + catalog.describe()
              + "/"
              + io.drctl.store.catalog.BackupKeys.dataKey(backup));
      return 0;
    }
  }

  @Command(
      name = "verify",
      mixinStandardHelpOptions = true,
      description = {
        "Re-reads a backup: checks its SHA-256 and decompresses it end to end.",
        "Records CHECKSUM_OK, or marks it CORRUPT (selectors skip it) and exits 1."
      })
  static final class Verify extends StoreCommand {
    @Parameters(paramLabel = "BACKUP", description = "Backup id or selector.")
    String which;

    @Option(
        names = "--service",
        paramLabel = "SERVICE",
        description = "The service a selector means.")
    String service;

    @Override
    int run(BackupCatalog catalog, WalArchive wal, PrintWriter out) {
      BackupMetadata backup = resolve(catalog, config.kind(), which, service);
      long started = System.nanoTime();
      BackupMetadata verified = catalog.verify(backup);
      double seconds = (System.nanoTime() - started) / 1e9;
      if (output.json()) {
        printJson(out, verified);
        return 0;
      }
      out.printf(
          Locale.ROOT,
          "%s: checksum ok, decompressed end to end (%s stored, %d bytes raw) in %.1fs; restorability %s%n",
          verified.backupId(),
          verified.sizeReadable(),
          verified.rawSizeBytes(),
          seconds,
          verified.restorability());
      return 0;
    }
  }

  @Command(
      name = "prune",
      mixinStandardHelpOptions = true,
      description = {
        "Applies the store's GFS retention. Prints the plan; deletes only with --apply.",
        "Never deletes the newest restorable backup of a series, nor WAL a kept base backup needs."
      })
  static final class Prune extends StoreCommand {
    @Option(names = "--apply", description = "Delete what the plan says (default: dry run).")
    boolean apply;

    @Option(names = "--service", paramLabel = "SERVICE", description = "Only postgresql or redis.")
    String service;

    @Option(names = "--daily", paramLabel = "N", description = "Override: daily backups to keep.")
    Integer daily;

    @Option(names = "--weekly", paramLabel = "N", description = "Override: weekly backups to keep.")
    Integer weekly;

    @Option(
        names = "--monthly",
        paramLabel = "N",
        description = "Override: monthly backups to keep.")
    Integer monthly;

    @Option(
        names = "--wal",
        paramLabel = "DURATION",
        description = "Override: how long WAL is kept, e.g. 7d.")
    String walWindow;

    @Option(
        names = "--max-age",
        paramLabel = "DURATION",
        description = "Override: nothing older is kept, e.g. 30d.")
    String maxAge;

    @Override
    int run(BackupCatalog catalog, WalArchive wal, PrintWriter out) {
      ObjectNode overrides = JSON.createObjectNode();
      if (daily != null) overrides.put("daily", daily);
      if (weekly != null) overrides.put("weekly", weekly);
      if (monthly != null) overrides.put("monthly", monthly);
      if (walWindow != null) overrides.put("wal", walWindow);
      if (maxAge != null) overrides.put("maxAge", maxAge);
      RetentionPolicy policy = RetentionPolicy.from(config.retention()).overriddenBy(overrides);
      CatalogRetention retention = new CatalogRetention(catalog, wal);
      RetentionPlan plan = retention.plan(service, Instant.now(), policy);
      RetentionOutcome outcome =
          apply && !plan.deletesNothing() ? RetentionPlanner.apply(plan, retention) : null;
      if (output.json()) {
        printJson(
            out,
            Map.of(
                "dryRun",
                !apply,
                "plan",
                plan,
                "deleted",
                outcome == null ? List.of() : outcome.deletedBackupIds()));
        return 0;
      }
      out.print(plan.toTable());
      if (!apply) {
        out.println("dry run: nothing deleted; run again with --apply to delete");
      } else if (outcome == null) {
        out.println("nothing to delete");
      } else {
        out.printf(
            "deleted %d backups and %d WAL files%n",
            outcome.deletedBackupIds().size(), outcome.walDeleted());
      }
      return 0;
    }
  }

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = {
        "The store's .backup_status: the last backup of each type, its status, the last verification;",
        "then the seed's backup alerts per service and format: missed (daily schedule plus --grace),",
        "oversized (> 20% over the average of the previous 7), slow (> 2x their median), failed verification (last 7 days)."
      })
  static final class Status extends StoreCommand {
    @Option(
        names = "--grace",
        paramLabel = "DURATION",
        defaultValue = "30m",
        description =
            "Slack after the daily period before a backup counts as missed (default: ${DEFAULT-VALUE}).")
    String grace;

    @Override
    int run(BackupCatalog catalog, WalArchive wal, PrintWriter out) {
      BackupStatus status = catalog.status();
      List<BackupMetadata> backups = catalog.list(null);
      List<WalArchive.WalFile> walFiles = wal.list();
      if (!Durations.isValid(grace)) {
        throw new Failures.UserError(
            "--grace '" + grace + "': not a duration such as 30m, 2h or 1h30m");
      }
      List<CheckResult> checks = checks(backups, Durations.parse(grace));
      if (output.json()) {
        printJson(out, Map.of("backup_status", status, "checks", checks));
        return 0;
      }
      out.println(
          "store "
              + catalog.describe()
              + ": "
              + backups.size()
              + " backups, "
              + readable(backups.stream().mapToLong(BackupMetadata::sizeBytes).sum())
              + "; WAL "
              + walFiles.size()
              + " files, "
              + readable(walFiles.stream().mapToLong(WalArchive.WalFile::storedSize).sum())
              + walFiles.stream()
                  .map(WalArchive.WalFile::archivedAt)
                  .filter(java.util.Objects::nonNull)
                  .max(Comparator.naturalOrder())
                  .map(at -> ", archived through " + IncidentPrinter.utc(at))
                  .orElse(""));
      if (status.backups().isEmpty()) {
        out.println("no backup recorded in .backup_status yet");
      } else {
        TextTable table =
            new TextTable(
                "series",
                "status",
                "last backup",
                "taken",
                "restorability",
                "last success",
                "error");
        status.backups().entrySet().stream()
            .sorted(Map.Entry.comparingByKey())
            .forEach(
                entry -> {
                  BackupStatus.LastBackup last = entry.getValue();
                  table.row(
                      entry.getKey(),
                      text(last.status()),
                      text(last.backupId()),
                      last.timestamp() == null ? "" : IncidentPrinter.utc(last.timestamp()),
                      last.restorability() == null ? "" : last.restorability().name(),
                      text(last.lastSuccessId()),
                      text(last.error()));
                });
        table.print(out);
      }
      BackupStatus.Verification verification = status.lastVerification();
      out.println(
          verification == null
              ? "no verification yet"
              : "last verification: "
                  + verification.backupId()
                  + " ("
                  + verification.service()
                  + ") "
                  + verification.result()
                  + " at "
                  + IncidentPrinter.utc(verification.at())
                  + (verification.message() == null ? "" : ": " + verification.message()));
      checks.forEach(
          check ->
              out.printf(
                  Locale.ROOT,
                  "%-5s  %-12s  %s%n",
                  check.verdict(),
                  check.check(),
                  check.message()));
      return 0;
    }

    /** The four backup alerts for every service and format in the store, now. */
    private static List<CheckResult> checks(
        List<BackupMetadata> backups, java.time.Duration graceTime) {
      Instant now = Instant.now();
      Map<String, List<BackupSample>> series = new java.util.TreeMap<>();
      backups.forEach(
          b ->
              series
                  .computeIfAbsent(
                      b.service() + "/" + BackupKinds.format(b), k -> new java.util.ArrayList<>())
                  .add(BackupSample.of(b)));
      List<CheckResult> results = new java.util.ArrayList<>();
      series.forEach(
          (name, samples) -> {
            results.add(BackupChecks.freshness(name, samples, "daily", graceTime, now));
            results.add(BackupChecks.size(name, samples, 0.2, 7));
            results.add(BackupChecks.duration(name, samples, 2.0, 7));
            results.add(
                BackupChecks.verification(name, samples, java.time.Duration.ofDays(7), now));
          });
      return results;
    }

    private static String text(String value) {
      return value == null ? "" : value;
    }

    private static String readable(long bytes) {
      return bytes < 1024 * 1024
          ? bytes / 1024 + " KB"
          : String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024));
    }
  }
}
