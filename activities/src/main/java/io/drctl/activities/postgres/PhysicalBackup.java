package io.drctl.activities.postgres;

import io.drctl.activities.ActionFailures;
import io.drctl.activities.backup.BackupFailures;
import io.drctl.activities.backup.StoreSession;
import io.drctl.activities.process.OwnedTempDirectory;
import io.drctl.store.StoreException;
import io.drctl.store.catalog.BackupMetadata;
import io.drctl.store.catalog.BackupRequest;
import io.drctl.store.catalog.BackupType;
import io.drctl.store.pipeline.Compression;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code postgres.basebackup}: {@code pg_basebackup -D - -Ft -X fetch} into the backup store as one
 * tar (the WAL needed for consistency inside it), compressed by the store, with the WAL range
 * (start and stop LSN and segment, timeline, and the cluster's database system identifier, under
 * which its WAL is archived) in the metadata. PITR starts from it and replays the archive from its
 * start segment on.
 */
final class PhysicalBackup {
  private static final Pattern START =
      Pattern.compile("write-ahead log start point: (\\S+) on timeline (\\d+)");
  private static final Pattern END = Pattern.compile("write-ahead log end point: (\\S+)");

  private final PostgresConnector connector;
  private final ServerTools tools;

  PhysicalBackup(PostgresConnector connector, ServerTools tools) {
    this.connector = connector;
    this.tools = tools;
  }

  PostgresBasebackupResult basebackup(PostgresBasebackupInput input) {
    PostgresInputs.present("postgres.basebackup", input);
    PostgresTarget target = PostgresTarget.of(input.targets(), "target", input.target());
    if (!"tar".equals(input.format())) {
      throw ActionFailures.invalidInput("format must be tar, was " + input.format());
    }
    if (input.maxRate() != null && !input.maxRate().matches("[0-9]+[kM]?")) {
      throw ActionFailures.invalidInput(
          "maxRate must look like 32M, 500k or 1000, was " + input.maxRate());
    }
    Compression compression =
        switch (input.compression()) {
          case "none" -> Compression.NONE;
          case "gzip" -> Compression.GZIP;
          case "zstd" -> Compression.ZSTD;
          default ->
              throw ActionFailures.invalidInput(
                  "compression "
                      + input.compression()
                      + " is not supported by the store: use none, gzip or zstd");
        };
    Progress progress = Progress.of("postgres.basebackup");
    try (StoreSession store =
        StoreSession.open(input.targets(), "store", input.store(), connector.secrets())) {
      Stored stored =
          basebackupInto(
              store,
              target,
              BackupRequest.of(PostgresActivities.BACKUP_SERVICE, BackupType.BASEBACKUP, "tar")
                  .withCompression(compression, 0)
                  .withNotes(input.label()),
              input.checkpoint(),
              input.maxRate(),
              input.label(),
              input.verify(),
              progress);
      BackupMetadata metadata = stored.metadata();
      return new PostgresBasebackupResult(
          metadata.backupId(),
          metadata.timestamp().toString(),
          metadata.sizeBytes(),
          metadata.checksum(),
          progress.elapsedSeconds(),
          store.location(metadata),
          metadata.wal().startLsn(),
          metadata.wal().stopLsn(),
          metadata.wal().timeline(),
          stored.verified());
    } catch (StoreException e) {
      throw BackupFailures.of(e);
    }
  }

  /** A stored base backup and whether pg_verifybackup passed on it. */
  record Stored(BackupMetadata metadata, boolean verified) {}

  /**
   * pg_basebackup of {@code target} into the store under {@code request} (its id, type, notes and
   * compression), with the WAL range added; verified first when {@code verify}.
   */
  Stored basebackupInto(
      StoreSession store,
      PostgresTarget target,
      BackupRequest request,
      String checkpoint,
      String maxRate,
      String label,
      boolean verify,
      Progress progress) {
    long segmentSize =
        connector.with(
            target,
            "reading wal_segment_size",
            connection ->
                Long.parseLong(
                    ServerChecks.single(
                        connection,
                        "select setting::int8 * case unit when 'MB' then 1048576"
                            + " when 'kB' then 1024 else 1 end from pg_settings where name = 'wal_segment_size'")));
    String version =
        connector.with(
            target,
            "reading server_version",
            connection -> ServerChecks.single(connection, "show server_version"));
    // The cluster's identity: its archived WAL is filed under it (drctl wal push), and PITR from
    // this backup must replay that cluster's WAL only.
    String systemIdentifier =
        connector.with(
            target,
            "reading the database system identifier",
            connection ->
                ServerChecks.single(
                    connection, "select system_identifier::text from pg_control_system()"));
    BackupRequest complete =
        request
            .withTimestamp(Instant.now())
            .withSource(
                new BackupMetadata.Source(
                    target.host() + ":" + target.port(), target.database(), version));
    // The WAL range is known only when pg_basebackup ends, and a PendingBackup takes no late
    // WAL range (requested from the store): the tar goes to a temporary file first.
    try {
      // Owned, so that the spool of a worker killed meanwhile is swept by the next base backup.
      Path scratch = OwnedTempDirectory.create("drctl-basebackup-");
      try {
        Path spool = scratch.resolve("base.tar");
        List<String> argv =
            new ArrayList<>(
                List.of(
                    connector.options().tool("pg_basebackup").toString(),
                    "-D",
                    "-",
                    "-Ft",
                    "-X",
                    "fetch",
                    "-c",
                    checkpoint,
                    "-v",
                    "--no-password",
                    "-l",
                    label == null ? "drctl base backup" : label));
        if (maxRate != null) {
          argv.addAll(List.of("-r", maxRate));
        }
        argv.addAll(List.of("-d", Rejoin.connectionString(target)));
        StreamedTool.Result result;
        try (OutputStream out = Files.newOutputStream(spool)) {
          result =
              StreamedTool.run(
                  argv,
                  connector.toolEnvironment(target),
                  connector.password(target),
                  out,
                  progress,
                  "pg_basebackup",
                  PostgresFailures.TOOL_FAILED);
        }
        String log = String.join("\n", result.stderr());
        Matcher start = START.matcher(log);
        Matcher end = END.matcher(log);
        if (!start.find() || !end.find()) {
          throw ActionFailures.retryable(
              PostgresFailures.TOOL_FAILED,
              "pg_basebackup did not report its WAL start and end points: " + log);
        }
        int timeline = Integer.parseInt(start.group(2));
        BackupMetadata.WalRange wal =
            new BackupMetadata.WalRange(
                start.group(1),
                end.group(1),
                segment(timeline, start.group(1), segmentSize),
                segment(timeline, end.group(1), segmentSize),
                timeline,
                systemIdentifier);
        if (verify) {
          progress.beat("verifying the base backup", result.bytes());
          verify(spool, Files.createDirectory(scratch.resolve("extracted")), progress);
        }
        progress.beat("storing the base backup", result.bytes());
        try (InputStream in = Files.newInputStream(spool)) {
          return new Stored(store.catalog().write(complete.withWal(wal), in), verify);
        }
      } finally {
        OwnedTempDirectory.delete(scratch);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * pg_verifybackup on an extracted copy (PostgreSQL 15's reads only plain format): every file
   * against the backup_manifest, and the WAL it needs parsed. A mismatch is a non-retryable
   * BackupCorrupt and nothing is published. The copy goes into the empty directory {@code copy},
   * deleted afterwards.
   */
  private void verify(Path spool, Path copy, Progress progress) throws IOException {
    try {
      try (InputStream in = Files.newInputStream(spool)) {
        BaseBackupTar.extract(in, copy, null, progress, "extracting for pg_verifybackup");
      }
      try {
        tools.local(PostgresFailures.TOOL_FAILED, "pg_verifybackup", List.of(copy.toString()));
      } catch (io.temporal.failure.ApplicationFailure failure) {
        if (!PostgresFailures.TOOL_FAILED.equals(failure.getType())) {
          throw failure;
        }
        throw ActionFailures.nonRetryable(
            "BackupCorrupt",
            "pg_verifybackup rejected the new base backup, which"
                + " is not published: "
                + failure.getOriginalMessage());
      }
    } finally {
      OwnedTempDirectory.delete(copy);
    }
  }

  /**
   * The WAL segment file name holding {@code lsn} on {@code timeline}, as pg_walfile_name gives it.
   */
  static String segment(int timeline, String lsn, long segmentSize) {
    String[] parts = lsn.split("/");
    long position = (Long.parseLong(parts[0], 16) << 32) | Long.parseLong(parts[1], 16);
    long segment = position / segmentSize;
    long perId = 0x100000000L / segmentSize;
    return String.format("%08X%08X%08X", timeline, segment / perId, segment % perId);
  }
}
