package io.drctl.activities.redis;

import io.drctl.activities.ActionFailures;
import io.drctl.activities.ActionInputs;
import io.drctl.activities.backup.BackupFailures;
import io.drctl.activities.backup.BackupSelector;
import io.drctl.activities.backup.StoreSession;
import io.drctl.activities.postgres.DumpDirectory;
import io.drctl.store.StoreException;
import io.drctl.store.catalog.BackupMetadata;
import io.drctl.store.catalog.BackupMetadata.TableFingerprint;
import io.drctl.store.catalog.SelectedBackup;
import io.drctl.store.retention.BackupKinds;
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
 * {@code redis.restore} into a server on the worker's host, in the order that keeps the data:
 *
 * <ol>
 *   <li>The backup is downloaded next to the data (its SHA-256 checked by the store) and checked
 *       with redis-check-rdb or redis-check-aof, before the server is touched: {@code
 *       BackupCorrupt}, not retryable.
 *   <li>How the server is started is read from it ({@link LocalServer#launch}); it is stopped with
 *       SHUTDOWN NOSAVE.
 *   <li>rdb: {@code dump.rdb} is put in place, {@code appendonlydir} removed, and Redis started with
 *       {@code appendonly no}. Started with {@code appendonly yes} and no appendonlydir, Redis would
 *       ignore the RDB and begin an empty AOF: an empty dataset. With enableAof, {@code CONFIG SET
 *       appendonly yes} then writes the loaded data into a new AOF; the restore waits for
 *       {@code aof_rewrite_in_progress:0} and {@code aof_rewrite_scheduled:0}.
 *   <li>aof: the whole {@code appendonlydir} (manifest and files) is replaced and Redis started with
 *       {@code appendonly yes}.
 *   <li>{@code CONFIG REWRITE}, so that the configuration file says what now holds the data and a
 *       later restart loads it; then the keys are compared with the backup's metadata ({@link
 *       KeySets}): a difference is {@link RedisFailures#RESTORE_FAILED}, not retryable.
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

  RedisRestore(RedisConnector connector, RedisTools tools) {
    this.connector = connector;
    this.tools = tools;
  }

  RedisRestoreResult restore(RedisRestoreInput input) {
    ActionInputs.present("redis.restore", input, "a target, a store and a type");
    RedisTarget target = RedisTarget.of(input.targets(), "target", input.target());
    Path directory = target.files("redis.restore");
    if (input.type() == null) {
      throw ActionFailures.invalidInput("type must be rdb or aof, was absent");
    }
    boolean aof = RedisBackups.type(input.type());
    Duration loadTimeout = ActionInputs.duration("loadTimeout", input.loadTimeout());
    RedisHeartbeat heartbeat = RedisHeartbeat.of("redis.restore", connector.options());
    LocalServer server = new LocalServer(connector, tools, heartbeat, target);
    Path staged = directory.resolve(STAGED_PREFIX + UUID.randomUUID());
    try (StoreSession store = StoreSession.open(input.targets(), "store", input.store(), connector.secrets())) {
      SelectedBackup selected = select(store, input.from(), input.type());
      BackupMetadata backup = selected.metadata();
      deleteStaged(directory);
      stage(selected, staged, aof, heartbeat);
      ServerLaunch launch = server.launch(directory);
      heartbeat.beat("stopping Redis", 0);
      server.stop(STOP_TIMEOUT);
      Path rdbFile = directory.resolve(launch.rdbFile());
      Path aofDirectory = directory.resolve(launch.aofDirectory());
      if (aof) {
        LocalServer.delete(aofDirectory);
        Files.move(staged, aofDirectory, StandardCopyOption.ATOMIC_MOVE);
        LocalServer.delete(rdbFile);
        server.start(launch, true, loadTimeout);
      } else {
        LocalServer.delete(aofDirectory);
        Files.move(staged, rdbFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        server.start(launch, false, loadTimeout);
        if (input.enableAof()) {
          turnAofOn(target, loadTimeout, heartbeat);
        }
      }
      boolean aofEnabled = connector.with(target, "writing the configuration file", redis -> {
        redis.configRewrite();
        return RedisInfo.parse(redis.info("persistence")).flag("aof_enabled");
      });
      Map<String, TableFingerprint> loaded =
          connector.withBytes(target, "reading the loaded keys", redis -> KeySets.read(redis, heartbeat));
      List<String> differences = KeySets.differences(backup.fingerprints(), loaded);
      if (!differences.isEmpty()) {
        throw ActionFailures.nonRetryable(RedisFailures.RESTORE_FAILED, target.describe() + " loaded other keys than"
            + " backup " + backup.backupId() + " recorded: " + String.join("; ", differences));
      }
      return new RedisRestoreResult(backup.backupId(), backup.timestamp().toString(), aof ? "aof" : "rdb",
          KeySets.keys(loaded), aofEnabled, heartbeat.elapsedSeconds());
    } catch (StoreException e) {
      throw BackupFailures.of(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      LocalServer.delete(staged);
    }
  }

  /**
   * CONFIG SET appendonly yes on a server that loaded an RDB: Redis writes the dataset into a new
   * AOF by a rewrite, which must finish before the AOF holds the data.
   */
  private void turnAofOn(RedisTarget target, Duration timeout, RedisHeartbeat heartbeat) {
    PersistenceWaits waits = new PersistenceWaits(connector.options(), heartbeat);
    connector.with(target, "turning AOF on", redis -> {
      redis.configSet("appendonly", "yes");
      return waits.aofRewrite(redis, timeout, RedisFailures.RESTORE_FAILED);
    });
  }

  /**
   * Downloads the backup to {@code staged} (a file for rdb, the unpacked appendonlydir for aof) and
   * checks it with Redis's own tool; {@code BackupCorrupt} when the tool rejects it.
   */
  private void stage(SelectedBackup selected, Path staged, boolean aof, RedisHeartbeat heartbeat) throws IOException {
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
    // Redis runs as the data directory's owner, which need not be the worker's user.
    UserPrincipal owner = Files.getOwner(staged.getParent());
    try (Stream<Path> paths = Files.walk(staged)) {
      for (Path path : (Iterable<Path>) paths::iterator) {
        Files.setOwner(path, owner);
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
        throw corrupt(backup, "redis-check-rdb: " + RedisTools.lastLine(run.stdout() + "\n" + run.stderr()));
      }
    }
  }

  private static RuntimeException corrupt(BackupMetadata backup, String finding) {
    return ActionFailures.nonRetryable(BackupFailures.BACKUP_CORRUPT, "backup " + backup.backupId()
        + " is not valid, the server was not touched: " + finding);
  }

  /**
   * The Redis backup {@code selector} names: a selector word picks the newest usable one of {@code
   * type}; an exact id must be of {@code type}.
   */
  static SelectedBackup select(StoreSession store, String selector, String type) {
    BackupMetadata backup = new BackupSelector(RedisActivities.BACKUP_SERVICE,
        BackupSelector.isSelectorWord(selector) ? type : null, null, false)
        .select(selector, store.catalog().list(RedisActivities.BACKUP_SERVICE), store.name(), store.config().kind());
    if (!type.equals(BackupKinds.format(backup))) {
      throw ActionFailures.invalidInput("backup " + backup.backupId() + " is an " + BackupKinds.format(backup)
          + " backup, not " + type);
    }
    return new SelectedBackup(store.catalog(), backup);
  }

  /** Deletes what earlier attempts staged in the data directory. */
  private static void deleteStaged(Path directory) throws IOException {
    try (Stream<Path> entries = Files.list(directory)) {
      entries.filter(path -> path.getFileName().toString().startsWith(STAGED_PREFIX)).forEach(LocalServer::delete);
    }
  }
}
