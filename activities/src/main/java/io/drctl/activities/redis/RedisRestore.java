package io.drctl.activities.redis;

import io.drctl.activities.ActionFailures;
import io.drctl.activities.ActionInputs;
import io.drctl.activities.backup.BackupFailures;
import io.drctl.activities.backup.BackupSelector;
import io.drctl.activities.backup.StoreSession;
import io.drctl.activities.docker.DockerBackend;
import io.drctl.activities.postgres.DumpDirectory;
import io.drctl.store.StoreException;
import io.drctl.store.catalog.BackupMetadata;
import io.drctl.store.catalog.BackupMetadata.TableFingerprint;
import io.drctl.store.catalog.SelectedBackup;
import io.drctl.store.retention.BackupKinds;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * {@code redis.restore}, in the order that keeps the data:
 *
 * <ol>
 *   <li>The backup is downloaded next to the data (its SHA-256 checked by the store) and checked
 *       with redis-check-rdb or redis-check-aof, before the server is touched: {@code
 *       BackupCorrupt}, not retryable.
 *   <li>How the server is started is read from it ({@link ServerControl#launch}); it is stopped.
 *   <li>rdb on the worker's host: {@code dump.rdb} is put in place, {@code appendonlydir} removed,
 *       and Redis started with {@code appendonly no}. Started with {@code appendonly yes} and no
 *       appendonlydir, Redis would ignore the RDB and begin an empty AOF: an empty dataset. With
 *       enableAof, {@code CONFIG SET appendonly yes} then writes the loaded data into a new AOF;
 *       the restore waits for {@code aof_rewrite_in_progress:0} and {@code
 *       aof_rewrite_scheduled:0}.
 *   <li>rdb in a container, whose command decides appendonly: {@code dump.rdb} is put in place and
 *       also an {@code appendonlydir} whose base is the same RDB (as Redis 7 writes one itself), so
 *       that either setting loads the backup; then with enableAof as above when AOF is off.
 *   <li>aof: the whole {@code appendonlydir} (manifest and files) is replaced and Redis started
 *       with {@code appendonly yes} (a container running with appendonly no is refused before it is
 *       stopped: it would ignore the AOF).
 *   <li>{@code CONFIG REWRITE} when the server has a configuration file, so that it says what now
 *       holds the data and a restart loads it.
 *   <li>The loaded key sets are compared with the backup's metadata: a difference is {@link
 *       RedisFailures#RESTORE_FAILED}, not retryable. For an rdb restore on the worker's host they
 *       are the file's, read from its bytes while Redis loads it, once Redis is shown to have
 *       loaded that file whole ({@link LoadedRdb}); otherwise they are read from Redis, in one SCAN
 *       pass of each database the backup has a fingerprint of ({@link KeyScan}, {@link
 *       KeySets#loaded}), while AOF is turned on and the configuration file written.
 * </ol>
 *
 * <p>A retry starts over: files an earlier attempt staged ({@code .drctl-restore-*}) are deleted,
 * and a server an earlier attempt left stopped is started from what that attempt's heartbeat
 * recorded.
 */
final class RedisRestore {
  private static final String STAGED_PREFIX = ".drctl-restore-";
  private static final Duration STOP_TIMEOUT = Duration.ofMinutes(1);

  private final RedisConnector connector;
  private final RedisTools tools;
  private final RedisFiles files;
  private final DockerBackend docker;

  RedisRestore(RedisConnector connector, RedisTools tools, RedisFiles files, DockerBackend docker) {
    this.connector = connector;
    this.tools = tools;
    this.files = files;
    this.docker = docker;
  }

  RedisRestoreResult restore(RedisRestoreInput input) {
    ActionInputs.present("redis.restore", input, "a target, a store and a type");
    RedisTarget target = RedisTarget.of(input.targets(), "target", input.target());
    if (input.type() == null) {
      throw ActionFailures.invalidInput("type must be rdb or aof, was absent");
    }
    boolean aof = RedisBackups.type(input.type());
    Duration loadTimeout = ActionInputs.duration("loadTimeout", input.loadTimeout());
    Path directory = files.of(target, input.targets(), "redis.restore");
    RedisHeartbeat heartbeat = RedisHeartbeat.of("redis.restore", connector.options());
    ServerControl server =
        ServerControl.of(target, input.targets(), connector, tools, docker, heartbeat);
    String attempt = STAGED_PREFIX + UUID.randomUUID();
    Path staged = directory.resolve(attempt);
    Path stagedAof = directory.resolve(attempt + ".aof");
    try (StoreSession store =
        StoreSession.open(input.targets(), "store", input.store(), connector.secrets())) {
      SelectedBackup selected = select(store, input.from(), input.type());
      BackupMetadata backup = selected.metadata();
      deleteStaged(directory);
      stage(selected, staged, aof, heartbeat);
      ServerLaunch launch = server.launch(directory);
      if (aof && !server.choosesAppendonly() && !launch.appendonly()) {
        throw ActionFailures.invalidInput(
            target.describe()
                + " runs in container "
                + target.container()
                + " with appendonly no: started again it would ignore an AOF; restore an rdb backup");
      }
      boolean bothFiles = !aof && !server.choosesAppendonly();
      if (bothFiles) {
        aofFromRdb(staged, stagedAof, launch.aofFile());
      }
      own(directory, staged, stagedAof);
      heartbeat.beat("stopping Redis", 0);
      server.stop(STOP_TIMEOUT);
      Path rdbFile = directory.resolve(launch.rdbFile());
      Path aofDirectory = directory.resolve(launch.aofDirectory());
      RedisFiles.delete(aofDirectory);
      if (aof) {
        Files.move(staged, aofDirectory, StandardCopyOption.ATOMIC_MOVE);
        RedisFiles.delete(rdbFile);
      } else {
        Files.move(
            staged, rdbFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        if (bothFiles) {
          Files.move(stagedAof, aofDirectory, StandardCopyOption.ATOMIC_MOVE);
        }
      }
      // The file's key sets are read from its bytes while Redis loads it (a server on this host
      // only:
      // LoadedRdb must see its process).
      LoadedRdb file = aof || target.container() != null ? null : LoadedRdb.reading(rdbFile);
      Loaded loaded;
      try {
        server.start(launch, aof, loadTimeout);
        loaded =
            connector.withScanning(
                target,
                "checking the loaded data",
                (redis, keys) -> {
                  Map<String, TableFingerprint> proven =
                      file == null ? null : file.proven(redis, backup.fingerprints(), heartbeat);
                  // Else the loaded keys are read while AOF is turned on and the configuration file
                  // written.
                  KeyScan<Map<String, TableFingerprint>> comparing =
                      proven != null ? null : KeyScan.loaded(keys, target, backup.fingerprints());
                  try {
                    if (!aof && input.enableAof() && !aofEnabled(redis)) {
                      turnAofOn(redis, loadTimeout, heartbeat);
                    }
                    if (!launch.configFile().isEmpty()) {
                      redis.configRewrite();
                    }
                    return new Loaded(
                        comparing == null ? proven : comparing.await(heartbeat), aofEnabled(redis));
                  } finally {
                    if (comparing != null) {
                      comparing.cancel();
                    }
                  }
                });
      } finally {
        if (file != null) {
          file.cancel();
        }
      }
      List<String> differences = KeySets.differences(backup.fingerprints(), loaded.sets());
      if (!differences.isEmpty()) {
        throw ActionFailures.nonRetryable(
            RedisFailures.RESTORE_FAILED,
            target.describe()
                + " loaded other keys than"
                + " backup "
                + backup.backupId()
                + " recorded: "
                + String.join("; ", differences));
      }
      return new RedisRestoreResult(
          backup.backupId(),
          backup.timestamp().toString(),
          aof ? "aof" : "rdb",
          KeySets.keys(loaded.sets()),
          loaded.aofEnabled(),
          heartbeat.elapsedSeconds());
    } catch (StoreException e) {
      throw BackupFailures.of(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      RedisFiles.delete(staged);
      RedisFiles.delete(stagedAof);
    }
  }

  /** The loaded key sets, and whether AOF is on in the end. */
  private record Loaded(Map<String, TableFingerprint> sets, boolean aofEnabled) {}

  private static boolean aofEnabled(RedisCommands<String, String> redis) {
    return RedisInfo.parse(redis.info("persistence")).flag("aof_enabled");
  }

  /**
   * CONFIG SET appendonly yes on a server that loaded an RDB: Redis writes the dataset into a new
   * AOF by a rewrite, which must finish before the AOF holds the data.
   */
  private void turnAofOn(
      RedisCommands<String, String> redis, Duration timeout, RedisHeartbeat heartbeat) {
    redis.configSet("appendonly", "yes");
    new PersistenceWaits(connector.options(), heartbeat)
        .aofRewrite(redis, timeout, RedisFailures.RESTORE_FAILED);
  }

  /**
   * Downloads the backup to {@code staged} (a file for rdb, the unpacked appendonlydir for aof) and
   * checks it with Redis's own tool; {@code BackupCorrupt} when the tool rejects it.
   */
  private void stage(SelectedBackup selected, Path staged, boolean aof, RedisHeartbeat heartbeat)
      throws IOException {
    BackupMetadata backup = selected.metadata();
    String phase = "downloading " + backup.backupId();
    try (InputStream in = selected.catalog().open(backup)) {
      if (aof) {
        Files.createDirectories(staged);
        DumpDirectory.extract(in, staged, heartbeat, phase);
      } else {
        DumpDirectory.copy(in, staged, heartbeat, phase);
      }
    }
    heartbeat.beat("checking " + backup.backupId(), 0);
    if (aof) {
      AofCheck.Finding finding = AofCheck.run(tools, AofCheck.manifestIn(staged));
      if (!finding.ok()) {
        throw corrupt(backup, "redis-check-aof: " + finding.message());
      }
    } else {
      RedisTools.Run run = tools.run("redis-check-rdb", List.of(staged.toString()));
      if (run.exitCode() != 0) {
        throw corrupt(
            backup, "redis-check-rdb: " + RedisTools.lastLine(run.stdout() + "\n" + run.stderr()));
      }
    }
  }

  /**
   * A Redis 7 appendonlydir in {@code directory} whose base is the RDB {@code rdb} and whose one
   * increment is empty, as Redis writes one itself with aof-use-rdb-preamble.
   */
  private static void aofFromRdb(Path rdb, Path directory, String aofFile) throws IOException {
    Files.createDirectories(directory);
    String base = aofFile + ".1.base.rdb";
    String increment = aofFile + ".1.incr.aof";
    Files.copy(rdb, directory.resolve(base));
    Files.createFile(directory.resolve(increment));
    Files.writeString(
        directory.resolve(aofFile + ".manifest"),
        "file " + base + " seq 1 type b\nfile " + increment + " seq 1 type i\n");
  }

  /**
   * Gives what was staged to the data directory's owner: Redis runs as that user, not the worker's.
   */
  private static void own(Path directory, Path... staged) throws IOException {
    UserPrincipal owner = Files.getOwner(directory);
    for (Path root : staged) {
      if (Files.exists(root)) {
        try (Stream<Path> paths = Files.walk(root)) {
          for (Path path : (Iterable<Path>) paths::iterator) {
            Files.setOwner(path, owner);
          }
        }
      }
    }
  }

  private static RuntimeException corrupt(BackupMetadata backup, String finding) {
    return ActionFailures.nonRetryable(
        BackupFailures.BACKUP_CORRUPT,
        "backup " + backup.backupId() + " is not valid, the server was not touched: " + finding);
  }

  /**
   * The Redis backup {@code selector} names: a selector word picks the newest usable one of {@code
   * type}; an exact id must be of {@code type}.
   */
  static SelectedBackup select(StoreSession store, String selector, String type) {
    BackupMetadata backup =
        new BackupSelector(
                RedisActivities.BACKUP_SERVICE,
                BackupSelector.isSelectorWord(selector) ? type : null,
                null,
                false)
            .select(
                selector,
                store.catalog().list(RedisActivities.BACKUP_SERVICE),
                store.name(),
                store.config().kind());
    if (!type.equals(BackupKinds.format(backup))) {
      throw ActionFailures.invalidInput(
          "backup "
              + backup.backupId()
              + " is an "
              + BackupKinds.format(backup)
              + " backup, not "
              + type);
    }
    return new SelectedBackup(store.catalog(), backup);
  }

  /** Deletes what earlier attempts staged in the data directory. */
  private static void deleteStaged(Path directory) throws IOException {
    try (Stream<Path> entries = Files.list(directory)) {
      entries
          .filter(path -> path.getFileName().toString().startsWith(STAGED_PREFIX))
          .forEach(RedisFiles::delete);
    }
  }
}
