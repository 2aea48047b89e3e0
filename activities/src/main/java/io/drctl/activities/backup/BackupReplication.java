package io.drctl.activities.backup;

import io.drctl.activities.ActionFailures;
import io.drctl.activities.process.OwnedTempDirectory;
import io.drctl.activities.secrets.SecretResolver;
import io.drctl.store.catalog.BackupMetadata;
import io.drctl.store.wal.WalArchive;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * {@code backup.replicate}: backups through {@link io.drctl.store.catalog.BackupCatalog#replicate}
 * (data, checksum read back at the destination, then metadata), WAL files by fetching each one (its
 * frame checksum checked) and archiving it at the destination.
 */
final class BackupReplication {
  private final SecretResolver secrets;
  private final ExecutorService pool;

  BackupReplication(SecretResolver secrets, ExecutorService pool) {
    this.secrets = secrets;
    this.pool = pool;
  }

  BackupReplicateResult replicate(BackupReplicateInput input) {
    BackupInputs.present("backup.replicate", input);
    String service = BackupInputs.oneOf("service", input.service(), BackupInputs.SERVICES);
    BackupInputs.required("source", input.source());
    BackupInputs.required("destination", input.destination());
    if (input.source().equals(input.destination())) {
      throw ActionFailures.invalidInput(
          "source and destination are the same store '" + input.source() + "'");
    }
    BackupHeartbeat heartbeat = BackupHeartbeat.current();
    try (StoreSession source =
            StoreSession.open(input.targets(), "source", input.source(), secrets);
        StoreSession destination =
            StoreSession.open(input.targets(), "destination", input.destination(), secrets)) {
      List<BackupMetadata> wanted = wanted(source, input.backupIds(), service);
      Map<String, BackupMetadata> present =
          destination.catalog().list(service).stream()
              .collect(
                  Collectors.toMap(BackupMetadata::backupId, Function.identity(), (a, b) -> a));
      List<String> copied = new ArrayList<>();
      int skipped = 0;
      long bytes = 0;
      for (int i = 0; i < wanted.size(); i++) {
        BackupMetadata backup = wanted.get(i);
        BackupMetadata there = present.get(backup.backupId());
        if (there != null && there.checksum().equals(backup.checksum())) {
          skipped++;
          continue;
        }
        heartbeat.await(
            pool,
            () -> source.catalog().replicate(backup, destination.catalog()),
            "copying",
            i,
            wanted.size(),
            backup.backupId());
        copied.add(backup.backupId());
        bytes += backup.sizeBytes();
      }
      long[] walBytes = {0};
      int walCopied =
          input.includeWal() && !"redis".equals(service)
              ? copyWal(source.wal(), destination.wal(), heartbeat, walBytes)
              : 0;
      return new BackupReplicateResult(
          copied.size(), skipped, walCopied, bytes + walBytes[0], copied);
    }
  }

  private static List<BackupMetadata> wanted(
      StoreSession source, List<String> ids, String service) {
    List<BackupMetadata> all = source.catalog().list(service);
    if (ids == null) {
      return all;
    }
    Map<String, BackupMetadata> byId =
        all.stream()
            .collect(Collectors.toMap(BackupMetadata::backupId, Function.identity(), (a, b) -> a));
    List<BackupMetadata> wanted = new ArrayList<>();
    for (String id : ids) {
      BackupMetadata backup = byId.get(id);
      if (backup == null) {
        throw BackupFailures.noBackupFound(
            "backup "
                + id
                + " is not in source store '"
                + source.name()
                + "'"
                + (service == null ? "" : " among its " + service + " backups"));
      }
      wanted.add(backup);
    }
    return wanted;
  }

  private int copyWal(WalArchive from, WalArchive to, BackupHeartbeat heartbeat, long[] bytes) {
    Set<String> there = new HashSet<>();
    to.list().forEach(file -> there.add(file.location()));
    List<WalArchive.WalFile> missing =
        from.list().stream().filter(f -> !there.contains(f.location())).toList();
    if (missing.isEmpty()) {
      return 0;
    }
    Path scratch;
    try {
      scratch = OwnedTempDirectory.create("drctl-wal-copy-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      for (int i = 0; i < missing.size(); i++) {
        WalArchive.WalFile file = missing.get(i);
        Path local = scratch.resolve(file.name());
        heartbeat.await(
            pool,
            () -> {
              // Gone since the listing (pruned meanwhile): nothing to copy.
              if (from.fetch(file, local) == WalArchive.FetchResult.FOUND) {
                to.pushLike(file, local);
                Files.deleteIfExists(local);
              }
              return null;
            },
            "copying WAL",
            i,
            missing.size(),
            file.name());
        bytes[0] += file.storedSize();
      }
      return missing.size();
    } finally {
      OwnedTempDirectory.delete(scratch);
    }
  }
}
