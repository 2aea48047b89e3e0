package io.drctl.activities.postgres;

import io.drctl.activities.ActionFailures;
import io.drctl.activities.backup.BackupFailures;
import io.drctl.activities.backup.StoreSession;
import io.drctl.store.StoreException;
import io.drctl.store.catalog.BackupMetadata;
import io.drctl.store.catalog.BackupType;
import io.drctl.store.local.LocalDirectories;
import io.drctl.store.retention.BackupKinds;
import io.drctl.store.wal.SystemIdentifier;
import io.drctl.store.wal.WalArchive;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code postgres.pitr}, the procedure of {@code shared/REFERENCE.md} for PostgreSQL 15, on a data
 * directory the worker can reach ({@link ServerFiles}: on its host, or on a Docker volume of its
 * engine): switch WAL on the WAL source and wait until it is archived; stop the target; move its
 * data directory's contents aside; extract the base backup (0700, owned like the old directory);
 * write archive_mode = off, restore_command, recovery_target_time, _inclusive, _action = 'promote',
 * _timeline into postgresql.auto.conf; recovery.signal; start; wait until pg_is_in_recovery() is
 * false; and accept the result only when the server log proves it.
 *
 * <p>restore_command copies from a staging directory inside the data directory into which the
 * activity has fetched, through the store's WAL archive (zstd frames with checksums), the segments
 * of the base backup's timeline from its start segment on and every timeline history file, all of
 * the base backup's own database system (the archive keeps each cluster's WAL under its system
 * identifier, so a re-initialised cluster's segments of the same names are never used). A server
 * that can run {@code drctl wal fetch} itself could use that instead; staging avoids a JVM start
 * per segment.
 */
final class PointInTimeRecovery {
  private static final Pattern STOPPING =
      Pattern.compile("recovery stopping (before|after) commit of transaction (\\d+), time (.+)");
  private static final Pattern LAST_COMMIT =
      Pattern.compile("last completed transaction was at log time (.+)");
  private static final Pattern TIMELINE = Pattern.compile("selected new timeline ID: (\\d+)");
  private static final Pattern REFUSED_CONNECTION =
      Pattern.compile(
          "FATAL:\\s+the database system is (starting up|not yet accepting connections|shutting down|in recovery mode)");
  private static final Pattern RESTORED =
      Pattern.compile("restored log file \"[0-9A-F]{24}\" from archive");
  private static final DateTimeFormatter TARGET_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSxxx");
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);
  private static final Duration RECOVERY_LIMIT = Duration.ofHours(6);

  /** The WAL staging directory, inside the data directory. */
  private static final String STAGING = "drctl-pitr-wal";

  private final PostgresConnector connector;
  private final ServerTools tools;

  PointInTimeRecovery(PostgresConnector connector, ServerTools tools) {
    this.connector = connector;
    this.tools = tools;
  }

  PostgresPitrResult pitr(PostgresPitrInput input) {
    PostgresInputs.present("postgres.pitr", input);
    PostgresTarget target = PostgresTarget.of(input.targets(), "target", input.target());
    PostgresTarget walSource =
        input.walSource() == null
            ? target
            : PostgresTarget.of(input.targets(), "walSource", input.walSource());
    boolean latest = "latest".equals(input.until());
    OffsetDateTime until = latest ? null : parseUntil(input.until());
    if (!input.targetTimeline().matches("current|latest|[1-9][0-9]*")) {
      throw ActionFailures.invalidInput(
          "targetTimeline must be current, latest or a number, was " + input.targetTimeline());
    }
    Duration archiveWait =
        PostgresInputs.duration("archiveWaitTimeout", input.archiveWaitTimeout());
    Progress progress = Progress.of("postgres.pitr");
    ServerFiles server = ServerFiles.of(target, tools);
    Path data = server.hostData();

    awaitArchived(walSource, archiveWait, progress);
    try (StoreSession store =
        StoreSession.open(input.targets(), "store", input.store(), connector.secrets())) {
      BackupMetadata base = baseBackup(store, input.from(), until);
      progress.beat("stopping " + target.name(), 0);
      server.stop();
      UserPrincipal owner = Files.getOwner(Files.exists(data) ? data : data.getParent());
      String previous = "";
      if (!Files.exists(data)) {
        Files.createDirectory(data);
      } else if (input.keepPrevious()) {
        // The contents move, not the directory: a container's data directory is a mount point.
        Path aside =
            data.resolveSibling(data.getFileName() + ".pre-pitr-" + STAMP.format(Instant.now()));
        Files.createDirectory(aside);
        Files.setOwner(aside, owner);
        Files.setPosixFilePermissions(aside, PosixFilePermissions.fromString("rwx------"));
        try (Stream<Path> children = Files.list(data)) {
          for (Path child : children.toList()) {
            Files.move(child, aside.resolve(child.getFileName()));
          }
        }
        previous = aside.toString();
      } else {
        deleteContents(data);
      }
      Files.setOwner(data, owner);
      Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------"));
      progress.beat("extracting " + base.backupId(), 1);
      extract(store, base, data, owner, progress);

      // Inside the data directory, so that a server in a container sees it too.
      Path staging = data.resolve(STAGING);
      Files.createDirectory(staging);
      Files.setOwner(staging, owner);
      SystemIdentifier cluster = cluster(base, data);
      int staged = stageWal(store.wal(), cluster, base.wal(), staging, owner, progress);

      Files.deleteIfExists(data.resolve("standby.signal"));
      StringBuilder settings =
          new StringBuilder("\n# drctl postgres.pitr from ")
              .append(base.backupId())
              .append(" (database system ")
              .append(cluster)
              .append(")\n")
              .append("archive_mode = off\n")
              .append("restore_command = 'cp \"")
              .append(server.serverData())
              .append('/')
              .append(STAGING)
              .append("/%f\" \"%p\"'\n")
              .append("recovery_target_action = 'promote'\n")
              .append("recovery_target_timeline = '")
              .append(input.targetTimeline())
              .append("'\n")
              .append("primary_conninfo = ''\n");
      if (!latest) {
        settings
            .append("recovery_target_time = '")
            .append(TARGET_TIME.format(until))
            .append("'\n")
            .append("recovery_target_inclusive = ")
            .append(input.inclusive() ? "on" : "off")
            .append('\n');
      }
      LocalServer.append(data.resolve("postgresql.auto.conf"), settings.toString());
      LocalServer.write(data.resolve("recovery.signal"), "");

      progress.beat("recovering (" + staged + " WAL files staged)", 2);
      server.start();
      awaitPromotion(target, server, progress);
      PostgresPitrResult result = check(base, server.log(), data, previous, latest, progress);
      settle(target, server, target.name().equals(walSource.name()), progress);
      LocalDirectories.deleteRecursively(staging);
      return result;
    } catch (StoreException e) {
      throw BackupFailures.of(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Removes the recovery settings from postgresql.auto.conf once they have served: left there, a
   * standby made from this server by a base backup (which copies the file) would stop at the same
   * target and exit. When the target is its own WAL source (the primary recovered in place), its
   * archiving comes back too, with a restart: the new timeline must reach the archive as the old
   * one did, or the next recovery loses everything after this one. A copy elsewhere keeps
   * archive_mode off, so that its WAL never mixes with its source's in the archive.
   */
  private void settle(
      PostgresTarget target, ServerFiles server, boolean inPlace, Progress progress) {
    List<String> settings =
        new java.util.ArrayList<>(
            List.of(
                "restore_command",
                "recovery_target_action",
                "recovery_target_timeline",
                "recovery_target_time",
                "recovery_target_inclusive",
                "primary_conninfo"));
    if (inPlace) {
      settings.add("archive_mode");
    }
    connector.with(
        target,
        "removing the recovery settings",
        Duration.ofSeconds(10),
        connection -> {
          try (java.sql.Statement statement = connection.createStatement()) {
            for (String setting : settings) {
              statement.execute("alter system reset " + setting);
            }
            statement.execute("select pg_reload_conf()");
          }
          return null;
        });
    if (inPlace) {
      progress.beat("restarting " + target.name() + " to archive its new timeline", 3);
      server.stop();
      server.start();
      awaitPromotion(target, server, progress);
    }
  }

  private static OffsetDateTime parseUntil(String text) {
    try {
      return OffsetDateTime.parse(text);
    } catch (java.time.format.DateTimeParseException e) {
      throw ActionFailures.invalidInput(
          "until must be latest or an RFC 3339 time with offset, e.g."
              + " 2025-12-27T14:30:00+00:00, was "
              + text);
    }
  }

  /**
   * pg_switch_wal() on the WAL source and a wait until its segment is archived; skipped when it is
   * down, a standby, or does not archive (a recovered copy has archive_mode off).
   */
  private void awaitArchived(PostgresTarget source, Duration timeout, Progress progress) {
    String segment;
    try {
      segment =
          connector.with(
              source,
              "switching WAL",
              Duration.ofSeconds(3),
              connection ->
                  ServerChecks.single(
                      connection,
                      "select case when pg_is_in_recovery()"
                          + " or current_setting('archive_mode') = 'off' then null"
                          + " else pg_walfile_name(pg_switch_wal()) end"));
    } catch (ApplicationFailure failure) {
      if (PostgresFailures.SERVER_UNAVAILABLE.equals(failure.getType())) {
        return; // nothing more will be archived from a server that is down
      }
      throw failure;
    }
    if (segment == null) {
      return;
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    int polls = 0;
    while (true) {
      String archived =
          connector.with(
              source,
              "reading pg_stat_archiver",
              connection ->
                  ServerChecks.single(
                      connection, "select coalesce(last_archived_wal, '') from pg_stat_archiver"));
      // After a base backup the last archived file is its history file, SEGMENT.OFFSET.backup: only
      // the 24-character segment name in front counts.
      String archivedSegment =
          archived.length() >= segment.length() ? archived.substring(0, segment.length()) : "";
      if (!archivedSegment.isEmpty() && archivedSegment.compareTo(segment) >= 0) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw ActionFailures.retryable(
            "WalMissing",
            source.describe()
                + " has not archived "
                + segment
                + " within "
                + timeout
                + " (last archived: "
                + (archived.isEmpty() ? "none" : archived)
                + "): recovering now could stop short of the target");
      }
      progress.pause(
          connector.options().pollInterval(),
          "waiting for " + segment + " to be archived",
          ++polls);
    }
  }

  private static BackupMetadata baseBackup(StoreSession store, String from, OffsetDateTime until) {
    if (from != null) {
      BackupMetadata chosen = LogicalBackup.select(store, from, BackupKinds.BASEBACKUP).metadata();
      if (!LogicalBackup.isPhysical(chosen) || chosen.wal() == null) {
        throw ActionFailures.invalidInput(
            "backup " + chosen.backupId() + " is not a base backup with a WAL range");
      }
      return chosen;
    }
    List<BackupMetadata> candidates =
        store.catalog().list(PostgresActivities.BACKUP_SERVICE).stream()
            // Safety copies (MANUAL) may be of a re-initialised cluster, a different database
            // system:
            // only scheduled base backups are chosen unless `from` names one.
            .filter(
                backup ->
                    LogicalBackup.isPhysical(backup)
                        && backup.wal() != null
                        && backup.restorability().selectable()
                        && backup.type() != BackupType.MANUAL)
            .filter(backup -> until == null || backup.timestamp().isBefore(until.toInstant()))
            .toList();
    if (candidates.isEmpty()) {
      throw ActionFailures.nonRetryable(
          BackupFailures.NO_BACKUP_FOUND,
          "the store holds no usable base backup"
              + (until == null ? "" : " taken before " + until));
    }
    return candidates.get(candidates.size() - 1);
  }

  /**
   * Extracts the stored tar (its SHA-256 checked at the end by the store) into the data directory.
   */
  private static void extract(
      StoreSession store, BackupMetadata base, Path data, UserPrincipal owner, Progress progress)
      throws IOException {
    try (InputStream raw = store.catalog().open(base)) {
      BaseBackupTar.extract(raw, data, owner, progress, "extracting " + base.backupId());
    }
  }

  /**
   * The database system the extracted base backup belongs to, from its pg_control (the truth, also
   * for metadata written before the identifier was recorded), checked against the metadata.
   */
  private static SystemIdentifier cluster(BackupMetadata base, Path data) throws IOException {
    String recorded = base.wal().systemIdentifier();
    SystemIdentifier extracted;
    try {
      extracted = SystemIdentifier.ofDataDirectory(data);
    } catch (IllegalArgumentException unreadable) {
      if (recorded == null) {
        throw ActionFailures.nonRetryable(
            "BackupCorrupt",
            "base backup "
                + base.backupId()
                + " has no readable global/pg_control and its metadata records no system identifier: "
                + unreadable.getMessage());
      }
      return SystemIdentifier.parse(recorded);
    }
    if (recorded != null && !recorded.equals(extracted.toString())) {
      throw ActionFailures.nonRetryable(
          "BackupCorrupt",
          "base backup "
              + base.backupId()
              + " is of database system "
              + extracted
              + " by its pg_control, but its metadata records "
              + recorded);
    }
    return extracted;
  }

  /**
   * Fetches the cluster's WAL of the base backup's timeline from its start segment on, and its
   * history files (from the archive's folder for that system identifier, falling back to a flat
   * archive of the older layout, whose segments of other clusters are skipped).
   */
  private static int stageWal(
      WalArchive archive,
      SystemIdentifier cluster,
      BackupMetadata.WalRange range,
      Path staging,
      UserPrincipal owner,
      Progress progress)
      throws IOException {
    String timeline = range.startWal().substring(0, 8);
    int staged = 0;
    for (WalArchive.WalFile file : archive.listFor(cluster)) {
      String name = file.name();
      boolean wanted =
          name.endsWith(".history")
              || (name.length() == 24
                  && name.startsWith(timeline)
                  && name.compareTo(range.startWal()) >= 0);
      if (!wanted) {
        continue;
      }
      Path path = staging.resolve(name);
      if (archive.fetch(cluster, name, path) == WalArchive.FetchResult.NOT_FOUND) {
        continue;
      }
      Files.setOwner(path, owner);
      progress.beat("staging WAL " + name, ++staged);
    }
    return staged;
  }

  /** Polls until the server left recovery, or fails when it stopped or logged a FATAL. */
  private void awaitPromotion(PostgresTarget target, ServerFiles server, Progress progress) {
    long deadline = System.nanoTime() + RECOVERY_LIMIT.toNanos();
    int polls = 0;
    while (true) {
      String text = server.log();
      if (text != null && hasFatal(text)) {
        throw incomplete("the server logged a FATAL during recovery", text);
      }
      try {
        Boolean recovering =
            connector.with(
                target,
                "checking recovery",
                Duration.ofSeconds(3),
                connection ->
                    "t".equals(ServerChecks.single(connection, "select pg_is_in_recovery()")));
        if (!recovering) {
          return;
        }
      } catch (ApplicationFailure failure) {
        if (!PostgresFailures.SERVER_UNAVAILABLE.equals(failure.getType())) {
          throw failure;
        }
      }
      if (System.nanoTime() > deadline) {
        throw incomplete("recovery did not finish within " + RECOVERY_LIMIT, text);
      }
      progress.pause(connector.options().pollInterval(), "replaying WAL", ++polls);
    }
  }

  private static PostgresPitrResult check(
      BackupMetadata base,
      String log,
      Path data,
      String previous,
      boolean latest,
      Progress progress) {
    Matcher stopping = STOPPING.matcher(log);
    Matcher timeline = TIMELINE.matcher(log);
    boolean stopped = stopping.find();
    if (hasFatal(log)) {
      throw incomplete("the server logged a FATAL", log);
    }
    if (!latest && !stopped) {
      throw incomplete(
          "the log shows no 'recovery stopping before/after commit': the target time was not reached",
          log);
    }
    if (!timeline.find() || !log.contains("archive recovery complete")) {
      throw incomplete(
          "the log lacks 'selected new timeline ID' or 'archive recovery complete'", log);
    }
    if (Files.exists(data.resolve("recovery.signal"))) {
      throw incomplete("recovery.signal is still there", log);
    }
    int restored = 0;
    Matcher files = RESTORED.matcher(log);
    while (files.find()) {
      restored++;
    }
    String stoppedAt;
    long transaction = 0;
    String position;
    if (stopped) {
      stoppedAt = stopping.group(3).strip();
      transaction = Long.parseLong(stopping.group(2));
      position = stopping.group(1);
    } else {
      Matcher last = LAST_COMMIT.matcher(log);
      stoppedAt = last.find() ? last.group(1).strip() : "";
      position = "end";
    }
    return new PostgresPitrResult(
        base.backupId(),
        stoppedAt,
        transaction,
        position,
        Integer.parseInt(timeline.group(1)),
        restored,
        previous,
        progress.elapsedSeconds());
  }

  /**
   * Whether the log has a FATAL other than the ones the server gives connections it refuses while
   * it starts (our own polls cause those).
   */
  static boolean hasFatal(String log) {
    return log.lines()
        .anyMatch(line -> line.contains("FATAL:") && !REFUSED_CONNECTION.matcher(line).find());
  }

  private static ApplicationFailure incomplete(String why, String log) {
    String tail =
        log == null
            ? ""
            : String.join("\n", log.lines().skip(Math.max(0, log.lines().count() - 12)).toList());
    return ActionFailures.nonRetryable(
        "RecoveryIncomplete",
        "point-in-time recovery failed: " + why + "; last lines of the server log:\n" + tail);
  }

  private static void deleteContents(Path directory) throws IOException {
    try (Stream<Path> children = Files.list(directory)) {
      for (Path child : children.toList()) {
        LocalDirectories.deleteRecursively(child);
      }
    }
  }
}
