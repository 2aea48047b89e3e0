package io.drctl.worker.cli;

import io.drctl.store.StoreConfig;
import io.drctl.store.StoreException;
import io.drctl.store.object.ObjectStore;
import io.drctl.store.open.ObjectStores;
import io.drctl.store.retention.CatalogRetention;
import io.drctl.store.wal.SystemIdentifier;
import io.drctl.store.wal.WalArchive;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code drctl wal push %p} and {@code drctl wal fetch %f %p}: PostgreSQL's {@code archive_command}
 * and {@code restore_command} over the backup store's WAL archive (prefix {@value
 * CatalogRetention#WAL_PREFIX}, one folder per database system identifier, zstd with checksums).
 * The store is {@code --store DIR}, {@code --target NAME -r RUNBOOK}, or the directory in {@value
 * #STORE_VARIABLE}. The cluster is found as {@link WalClusterResolver} says: a segment's own
 * header, else {@code --system-id}, else the data directory PostgreSQL runs the command in.
 *
 * <p>Exit codes are the ones PostgreSQL acts on. push: 0 when archived or already archived with the
 * same bytes; 1 on anything else (a different segment under the same name, the store down), and the
 * archiver retries. fetch: 0 when restored; 1, silently, when the archive has no such file
 * (recovery then ends or tries the next source); {@value #FETCH_FATAL} on any other failure (store
 * down, corrupt copy), which PostgreSQL treats as fatal, so that a broken archive stops recovery
 * instead of ending it early at the wrong point.
 */
@Command(
    name = "wal",
    mixinStandardHelpOptions = true,
    description =
        "Push and fetch WAL segments: archive_command and restore_command through the backup store.",
    subcommands = {WalCommand.Push.class, WalCommand.Fetch.class})
final class WalCommand implements Runnable {
  static final String STORE_VARIABLE = "DRCTL_WAL_STORE";
  static final int FETCH_FATAL = 126;
  private static final Pattern SEGMENT = Pattern.compile("[0-9A-F]{24}(\\.partial)?");
  private static final Pattern WAL_NAME =
      Pattern.compile("[0-9A-F]{24}(\\.partial|\\.[0-9A-F]{8}\\.backup)?|[0-9A-F]{8}\\.history");

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** archive_command = 'drctl wal push --store DIR %p' */
  @Command(
      name = "push",
      mixinStandardHelpOptions = true,
      description =
          "Archive one WAL file (archive_command '... push %%p'). Pushing the same bytes twice is fine;"
              + " different bytes under an archived name fail.")
  static final class Push implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @Mixin BackupStoreOptions store;

    @Parameters(index = "0", paramLabel = "PATH", description = "The file to archive (%%p).")
    Path file;

    @Option(
        names = "--system-id",
        paramLabel = "ID",
        converter = SystemIdConverter.class,
        description =
            "The cluster's database system identifier (pg_controldata). Default: a segment's page header,"
                + " else the data directory's global/pg_control.")
    SystemIdentifier systemId;

    @Option(
        names = "--pgdata",
        paramLabel = "DIR",
        description =
            "The data directory, for history and .backup files. Default: the directory holding pg_wal,"
                + " $PGDATA, or the current directory (where PostgreSQL runs archive_command).")
    Path pgdata;

    @Override
    public Integer call() {
      PrintWriter err = spec.commandLine().getErr();
      String name = file.getFileName().toString();
      if (!WAL_NAME.matcher(name).matches()) {
        err.println("drctl wal push: " + name + " is not a WAL file name");
        return 1;
      }
      if (!Files.isRegularFile(file)) {
        err.println("drctl wal push: " + file + ": no such file");
        return 1;
      }
      try (ObjectStore objects = ObjectStores.open(config(store, err))) {
        WalArchive archive = new WalArchive(objects, CatalogRetention.WAL_PREFIX);
        WalArchive.PushResult result =
            SEGMENT.matcher(name).matches() && systemId == null
                ? archive.push(file)
                : archive.push(
                    SEGMENT.matcher(name).matches()
                        ? systemId
                        : WalClusterResolver.forPush(file, systemId, pgdata),
                    name,
                    file);
        if (result == WalArchive.PushResult.ALREADY_ARCHIVED) {
          err.println("drctl wal push: " + name + " was already archived with the same content");
        }
        return 0;
      } catch (StoreException e) {
        err.println("drctl wal push: " + name + ": " + e.type() + ": " + e.getMessage());
        return 1;
      } catch (Failures.UserError | IllegalArgumentException | java.io.UncheckedIOException e) {
        err.println("drctl wal push: " + e.getMessage());
        return 1;
      }
    }
  }

  /** restore_command = 'drctl wal fetch --store DIR %f %p' */
  @Command(
      name = "fetch",
      mixinStandardHelpOptions = true,
      description =
          "Restore one WAL file from the archive (restore_command '... fetch %%f %%p')."
              + " Exit 1 without a message when the archive has no such file.")
  static final class Fetch implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @Mixin BackupStoreOptions store;

    @Parameters(index = "0", paramLabel = "NAME", description = "The file wanted (%%f).")
    String name;

    @Parameters(index = "1", paramLabel = "PATH", description = "Where to write it (%%p).")
    Path target;

    @Option(
        names = "--system-id",
        paramLabel = "ID",
        converter = SystemIdConverter.class,
        description =
            "The database system identifier of the cluster being recovered (pg_controldata)."
                + " Default: the data directory's global/pg_control, else the archive's only cluster.")
    SystemIdentifier systemId;

    @Option(
        names = "--pgdata",
        paramLabel = "DIR",
        description =
            "The data directory being recovered. Default: $PGDATA, or the current directory"
                + " (where PostgreSQL runs restore_command).")
    Path pgdata;

    @Override
    public Integer call() {
      PrintWriter err = spec.commandLine().getErr();
      if (!WAL_NAME.matcher(name).matches()) {
        err.println("drctl wal fetch: " + name + " is not a WAL file name");
        return FETCH_FATAL;
      }
      try (ObjectStore objects = ObjectStores.open(config(store, err))) {
        WalArchive archive = new WalArchive(objects, CatalogRetention.WAL_PREFIX);
        Optional<SystemIdentifier> cluster = WalClusterResolver.forFetch(archive, systemId, pgdata);
        WalArchive.FetchResult result =
            cluster.isPresent()
                ? archive.fetch(cluster.get(), name, target)
                // Only files of the older flat layout: no cluster to choose.
                : archive.fetch(new WalArchive.WalFile(name, 0, null, null), target);
        return result == WalArchive.FetchResult.FOUND ? 0 : 1;
      } catch (StoreException e) {
        err.println("drctl wal fetch: " + name + ": " + e.type() + ": " + e.getMessage());
        return FETCH_FATAL;
      } catch (Failures.UserError e) {
        err.println("drctl wal fetch: " + e.getMessage());
        return FETCH_FATAL;
      } catch (RuntimeException e) {
        err.println("drctl wal fetch: " + name + ": " + e);
        return FETCH_FATAL;
      }
    }
  }

  /** Parses {@code --system-id} with a message naming the option. */
  static final class SystemIdConverter implements ITypeConverter<SystemIdentifier> {
    @Override
    public SystemIdentifier convert(String value) {
      try {
        return SystemIdentifier.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** {@code --store}/{@code --target}, else the directory in {@value #STORE_VARIABLE}. */
  private static StoreConfig config(BackupStoreOptions options, PrintWriter err) {
    String fromEnvironment = System.getenv(STORE_VARIABLE);
    if (options.directory == null
        && options.target == null
        && fromEnvironment != null
        && !fromEnvironment.isBlank()) {
      options.directory = Path.of(fromEnvironment);
    }
    return options.config(err);
  }
}
