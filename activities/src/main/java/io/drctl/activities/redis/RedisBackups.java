package io.drctl.activities.redis;

import io.drctl.activities.ActionFailures;
import io.drctl.activities.ActionInputs;
import io.drctl.activities.backup.BackupFailures;
import io.drctl.activities.backup.BackupSchedules;
import io.drctl.activities.backup.SafetyCopies;
import io.drctl.activities.backup.StoreSession;
import io.drctl.activities.postgres.DumpDirectory;
import io.drctl.activities.process.OwnedTempDirectory;
import io.drctl.store.StoreException;
import io.drctl.store.catalog.BackupMetadata;
import io.drctl.store.catalog.BackupMetadata.TableFingerprint;
import io.drctl.store.catalog.BackupRequest;
import io.drctl.store.catalog.BackupType;
import io.drctl.store.catalog.PendingBackup;
import io.lettuce.core.api.sync.RedisCommands;
import io.temporal.activity.Activity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code redis.backup} and {@code redis.snapshot}: a file of the server's data directory streamed
 * into the backup store, with the key count and key-set fingerprint per database ({@link KeySets})
 * in the metadata, published only when complete.
 *
 * <ul>
 *   <li>rdb: BGSAVE, sent in one write between the INFO counters before it and INFO persistence
 *       after it ({@link PersistenceWaits#fork}), waited for on INFO persistence; the file the
 *       child writes is stored while it writes it ({@link RdbStream}), and must turn out to be
 *       {@code dump.rdb}.
 *   <li>aof: {@code auto-aof-rewrite-percentage 0} while no rewrite runs, the whole {@code
 *       appendonlydir} (manifest, base and increments) copied into a private directory and checked
 *       there with redis-check-aof (a copy that caught a write half done is taken again), stored as
 *       one flat tar ({@link DumpDirectory}); the setting is put back afterwards, also on failure.
 * </ul>
 *
 * <p>Keys are read in one SCAN pass on a connection and thread of their own ({@link KeyScan}) while
 * the file is saved and stored, not before and after it. The pass is exactly the file's key set
 * when nothing changed any key from the moment the file holds (the fork; for aof, the start of the
 * copy) until after the pass: INFO's write counter ({@code rdb_changes_since_last_save}), saves and
 * evictions say so ({@link PersistenceWaits.Fork#quietUntil}). Only then, and for a database
 * without keys that expire, is the fingerprint recorded ({@link KeySets#recorded}); the count is
 * always the database's DBSIZE at that moment. A backup taken while the server is written to
 * records counts only: its file's key set is not known.
 */
final class RedisBackups {
  private static final String RDB = "rdb";
  private static final String AOF = "aof";

  /** The stored extension of an AOF directory: the catalog calls a redis tar an aof backup. */
  private static final String AOF_FORMAT = "tar";

  private static final int AOF_COPY_ATTEMPTS = 3;

  /** How long a safety copy waits for BGSAVE or a running rewrite. */
  private static final Duration SNAPSHOT_SAVE_TIMEOUT = Duration.ofMinutes(10);

  private final RedisConnector connector;
  private final RedisTools tools;
  private final RedisFiles files;

  RedisBackups(RedisConnector connector, RedisTools tools, RedisFiles files) {
    this.connector = connector;
    this.tools = tools;
    this.files = files;
  }

  RedisBackupResult backup(RedisBackupInput input) {
    ActionInputs.present("redis.backup", input, "a target and a store");
    RedisTarget target = RedisTarget.of(input.targets(), "target", input.target());
    Path directory = files.of(target, input.targets(), "redis.backup");
    boolean aof = type(input.type());
    Duration saveTimeout = ActionInputs.duration("saveTimeout", input.saveTimeout());
    BackupType schedule = BackupSchedules.of(input.schedule());
    RedisHeartbeat heartbeat = RedisHeartbeat.of("redis.backup", connector.options());
    heartbeat.beat("opening the store", 0);
    try (StoreSession store =
        StoreSession.open(input.targets(), "store", input.store(), connector.secrets())) {
      BackupRequest request =
          BackupRequest.of(RedisActivities.BACKUP_SERVICE, schedule, aof ? AOF_FORMAT : RDB)
              .withNotes(input.label());
      Taken taken =
          take(
              store,
              target,
              directory,
              aof,
              request,
              saveTimeout,
              RedisFailures.BGSAVE_FAILED,
              heartbeat);
      BackupMetadata metadata = taken.metadata();
      return new RedisBackupResult(
          metadata.backupId(),
          metadata.timestamp().toString(),
          metadata.sizeBytes(),
          metadata.checksum(),
          heartbeat.elapsedSeconds(),
          store.location(metadata),
          aof ? AOF : RDB,
          taken.keys());
    } catch (StoreException e) {
      throw BackupFailures.of(e);
    }
  }

  RedisSnapshotResult snapshot(RedisSnapshotInput input) {
    ActionInputs.present("redis.snapshot", input, "a target and a store");
    RedisTarget target = RedisTarget.of(input.targets(), "target", input.target());
    Path directory = files.of(target, input.targets(), "redis.snapshot");
    String id =
        SafetyCopies.id(Activity.getExecutionContext().getInfo().getWorkflowId(), input.label());
    RedisHeartbeat heartbeat = RedisHeartbeat.of("redis.snapshot", connector.options());
    try (StoreSession store =
        StoreSession.open(input.targets(), "store", input.store(), connector.secrets())) {
      Optional<BackupMetadata> existing = store.catalog().find(RedisActivities.BACKUP_SERVICE, id);
      if (existing.isPresent()) {
        return snapshotResult(
            store, existing.get(), KeySets.keys(existing.get().fingerprints()), 0);
      }
      BackupRequest request =
          BackupRequest.of(RedisActivities.BACKUP_SERVICE, BackupType.MANUAL, RDB)
              .withBackupId(id)
              .withNotes("safety copy before a change: " + input.label());
      if (connector.answers(target)) {
        boolean aof =
            connector.with(
                target,
                "reading INFO persistence",
                redis -> RedisInfo.parse(redis.info("persistence")).flag("aof_enabled"));
        Taken taken =
            take(
                store,
                target,
                directory,
                aof,
                aof ? asAof(request) : request,
                SNAPSHOT_SAVE_TIMEOUT,
                RedisFailures.SNAPSHOT_FAILED,
                heartbeat);
        return snapshotResult(store, taken.metadata(), taken.keys(), 0);
      }
      return coldCopy(store, directory, request, input.bestEffort(), heartbeat);
    } catch (StoreException e) {
      throw BackupFailures.of(e);
    }
  }

  /**
   * A stopped server's files as they are: its {@code appendonlydir} when it has one whose manifest
   * is newer than {@code dump.rdb} (Redis loads the AOF when both are there and AOF is on), else
   * {@code dump.rdb}. No keys are counted. With {@code bestEffort}, AOF files that cannot be read
   * are left out and counted.
   */
  private RedisSnapshotResult coldCopy(
      StoreSession store,
      Path directory,
      BackupRequest request,
      boolean bestEffort,
      RedisHeartbeat heartbeat) {
    Path rdb = directory.resolve("dump.rdb");
    Path aofDirectory = directory.resolve("appendonlydir");
    try {
      Path manifest = Files.isDirectory(aofDirectory) ? AofCheck.manifestIn(aofDirectory) : null;
      boolean aof =
          manifest != null
              && (!Files.exists(rdb)
                  || Files.getLastModifiedTime(manifest).compareTo(Files.getLastModifiedTime(rdb))
                      >= 0);
      if (!aof && !Files.exists(rdb)) {
        throw ActionFailures.retryable(
            RedisFailures.SNAPSHOT_FAILED,
            "Redis does not answer and "
                + directory
                + " holds neither dump.rdb nor an appendonlydir to copy cold");
      }
      heartbeat.beat("copying the files of the stopped server", 0);
      try (PendingBackup pending =
          store.catalog().begin((aof ? asAof(request) : request).withTimestamp(Instant.now()))) {
        int unreadable = 0;
        if (aof) {
          Path scratch = OwnedTempDirectory.create("drctl-redis-cold-");
          try {
            Path copy = Files.createDirectory(scratch.resolve("appendonlydir"));
            unreadable = copyAof(manifest, copy, bestEffort);
            DumpDirectory.tar(copy, pending.stream(), heartbeat, "storing the appendonlydir");
          } finally {
            OwnedTempDirectory.delete(scratch);
          }
        } else {
          Files.copy(rdb, pending.stream());
        }
        BackupMetadata metadata = pending.commit();
        return snapshotResult(store, metadata, 0, unreadable);
      }
    } catch (IOException e) {
      throw ActionFailures.retryable(
          RedisFailures.SNAPSHOT_FAILED,
          "copying the files of the stopped server in " + directory + " failed: " + e.getMessage());
    }
  }

  /** A backup taken and what was read of its keys. */
  record Taken(BackupMetadata metadata, long keys) {}

  /**
   * The backup itself, into {@code store} under {@code request}; {@code failureType} when the save,
   * the AOF rewrite it waits for, or the AOF copy fails.
   */
  Taken take(
      StoreSession store,
      RedisTarget target,
      Path directory,
      boolean aof,
      BackupRequest request,
      Duration saveTimeout,
      String failureType,
      RedisHeartbeat heartbeat) {
    PersistenceWaits waits = new PersistenceWaits(connector.options(), heartbeat);
    return connector.withScanning(
        target,
        aof ? "backing up the AOF" : "backing up the RDB",
        (redis, keys) -> {
          Map<String, String> config = redis.configGet("dbfilename", "appenddirname");
          Instant requested = Instant.now();
          KeyScan<Map<Integer, KeySets.Scanned>> scan = null;
          try (PendingBackup pending = store.catalog().begin(request.withTimestamp(requested))) {
            Map<String, TableFingerprint> sets;
            if (aof) {
              PersistenceWaits.Counters start = waits.counters(redis);
              scan = KeyScan.of(keys, target, counts(start.keyspace()));
              copyAofDirectory(
                  redis,
                  target,
                  directory.resolve(config.get("appenddirname")),
                  pending,
                  saveTimeout,
                  failureType,
                  waits,
                  heartbeat);
              Map<Integer, KeySets.Scanned> scanned = scan.await(heartbeat);
              sets =
                  KeySets.recorded(
                      start.keyspace(), scanned, start.quietUntil(waits.counters(redis)));
            } else {
              Instant forking = Instant.now();
              PersistenceWaits.Fork fork = waits.fork(redis, saveTimeout, failureType);
              scan = KeyScan.of(keys, target, counts(fork.before().keyspace()));
              RdbStream.store(
                  redis,
                  waits,
                  fork,
                  forking,
                  directory,
                  config.get("dbfilename"),
                  pending.stream(),
                  failureType,
                  heartbeat,
                  connector.options().pollInterval());
              Map<Integer, KeySets.Scanned> scanned = scan.await(heartbeat);
              sets =
                  KeySets.recorded(
                      fork.before().keyspace(), scanned, fork.quietUntil(waits.counters(redis)));
            }
            pending.fingerprints(sets);
            return new Taken(pending.commit(), KeySets.keys(sets));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          } finally {
            if (scan != null) {
              scan.cancel();
            }
          }
        });
  }

  /** Each database of an INFO keyspace section with the keys it holds. */
  private static Map<Integer, Long> counts(RedisInfo keyspace) {
    Map<Integer, Long> counts = new LinkedHashMap<>();
    for (int database : keyspace.databases()) {
      counts.put(database, keyspace.keys(database));
    }
    return counts;
  }

  private void copyAofDirectory(
      RedisCommands<String, String> redis,
      RedisTarget target,
      Path aofDirectory,
      PendingBackup pending,
      Duration saveTimeout,
      String failureType,
      PersistenceWaits waits,
      RedisHeartbeat heartbeat)
      throws IOException {
    if (!RedisInfo.parse(redis.info("persistence")).flag("aof_enabled")) {
      throw ActionFailures.nonRetryable(
          RedisFailures.AOF_DISABLED,
          target.describe()
              + " runs with appendonly no:"
              + " it has no AOF to back up (take type rdb)");
    }
    String percentage =
        redis.configGet("auto-aof-rewrite-percentage").get("auto-aof-rewrite-percentage");
    redis.configSet("auto-aof-rewrite-percentage", "0");
    Path scratch = OwnedTempDirectory.create("drctl-redis-aof-");
    Path copy = scratch.resolve("appendonlydir");
    Throwable failure = null;
    try {
      waits.aofRewrite(redis, saveTimeout, failureType);
      for (int attempt = 1; ; attempt++) {
        heartbeat.beat("copying " + aofDirectory + " (attempt " + attempt + ")", 0);
        RedisFiles.delete(copy);
        Files.createDirectories(copy);
        copyAof(AofCheck.manifestIn(aofDirectory), copy, false);
        AofCheck.Finding finding = AofCheck.run(tools, AofCheck.manifestIn(copy));
        if (finding.ok()) {
          break;
        }
        if (attempt == AOF_COPY_ATTEMPTS) {
          throw ActionFailures.retryable(
              failureType,
              "the copy of "
                  + aofDirectory
                  + " was not a valid AOF "
                  + attempt
                  + " times: "
                  + finding.message());
        }
      }
      DumpDirectory.tar(copy, pending.stream(), heartbeat, "storing the appendonlydir");
    } catch (IOException | RuntimeException e) {
      failure = e;
      throw e;
    } finally {
      OwnedTempDirectory.delete(scratch);
      restoreSetting(target, percentage, failure);
    }
  }

  /**
   * Puts auto-aof-rewrite-percentage back on a connection of its own: the one the copy used may be
   * the reason it failed. When the copy failed, a failure here is attached to that one, which stays
   * the step's failure.
   */
  private void restoreSetting(RedisTarget target, String percentage, Throwable copyFailure) {
    try {
      connector.with(
          target,
          "putting auto-aof-rewrite-percentage back to " + percentage,
          redis -> redis.configSet("auto-aof-rewrite-percentage", percentage));
    } catch (RuntimeException e) {
      if (copyFailure == null) {
        throw e;
      }
      copyFailure.addSuppressed(e);
    }
  }

  /**
   * Copies the manifest and the files Redis loads (base, increments) into {@code copy}; returns how
   * many could not be read (only with {@code bestEffort}, else the error propagates).
   */
  private static int copyAof(Path manifest, Path copy, boolean bestEffort) throws IOException {
    int unreadable = 0;
    Files.copy(manifest, copy.resolve(manifest.getFileName()));
    for (Path file : AofCheck.listed(manifest)) {
      try {
        Files.copy(file, copy.resolve(file.getFileName()));
      } catch (IOException e) {
        if (!bestEffort) {
          throw e;
        }
        unreadable++;
      }
    }
    return unreadable;
  }

  private static BackupRequest asAof(BackupRequest request) {
    return new BackupRequest(
        request.service(),
        request.type(),
        AOF_FORMAT,
        request.compression(),
        request.compressionLevel(),
        request.backupId(),
        request.timestamp(),
        request.retention(),
        request.source(),
        request.wal(),
        request.notes());
  }

  private RedisSnapshotResult snapshotResult(
      StoreSession store, BackupMetadata metadata, long keys, int unreadable) {
    return new RedisSnapshotResult(
        metadata.backupId(),
        store.location(metadata),
        metadata.sizeBytes(),
        keys,
        metadata.timestamp().toString(),
        unreadable);
  }

  /** Whether {@code type} is aof (else rdb). */
  static boolean type(String type) {
    if (!RDB.equals(type) && !AOF.equals(type)) {
      throw ActionFailures.invalidInput("type must be rdb or aof, was " + type);
    }
    return AOF.equals(type);
  }
}
