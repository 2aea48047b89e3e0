package io.drctl.sandbox;

import com.github.dockerjava.api.command.InspectContainerResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One sandbox on one Docker engine: {@link #up}, {@link #down}, {@link #status}. Touches only
 * containers and volumes labelled {@value SandboxLayout#SANDBOX_LABEL}={@code name}, and refuses to
 * adopt a container or volume of the same name that is not. Not thread-safe.
 */
public final class Sandbox {
  private final SandboxEngine engine;
  private final SandboxLayout layout;
  private final ServiceDefinitions services;
  private final SandboxProvisioner provisioner;
  private final Consumer<String> progress;
  private final WalArchiving archiving;

  /**
   * A sandbox whose primary archives WAL by copying it into the archive volume, with no backup
   * store.
   *
   * @param progress receives one line per thing done, as it happens
   */
  public Sandbox(
      SandboxEngine engine, SandboxLayout layout, SandboxImages images, Consumer<String> progress) {
    this(engine, layout, images, WalArchiving.volumeCopy(), progress);
  }

  /**
   * A sandbox with the given WAL archiving: with a store and a drctl jar, both servers push and
   * fetch WAL through {@code drctl wal} into the store on the host.
   *
   * @param progress receives one line per thing done, as it happens
   */
  public Sandbox(
      SandboxEngine engine,
      SandboxLayout layout,
      SandboxImages images,
      WalArchiving archiving,
      Consumer<String> progress) {
    this.engine = engine;
    this.layout = layout;
    this.archiving = archiving;
    this.services = new ServiceDefinitions(layout, images, archiving);
    this.progress = progress;
    this.provisioner =
        new SandboxProvisioner(engine, layout, images, services, archiving, progress);
  }

  public SandboxLayout layout() {
    return layout;
  }

  public WalArchiving archiving() {
    return archiving;
  }

  /** What {@link #up} was asked for. */
  public record UpOptions(Integer scale, Path targetsFile) {
    /** Keeps an existing dataset whatever its scale; seeds scale 1 when there is none. */
    public static UpOptions keepDataset(Path targetsFile) {
      return new UpOptions(null, targetsFile);
    }
  }

  /**
   * What {@link #up} did.
   *
   * @param actions what happened to each container: kept, created, recreated
   * @param seeded the dataset seeded by this call, if any
   * @param manifest the dataset's manifest after the call
   * @param targetsFile where the targets file was written
   */
  public record UpResult(
      Map<Role, String> actions,
      Optional<Dataset.SeedResult> seeded,
      List<Dataset.ManifestEntry> manifest,
      Path targetsFile,
      Duration took) {}

  /**
   * What {@link #down} removed.
   *
   * @param backups the backup store directory removed, or {@code null} when none was (kept, or
   *     there is none)
   */
  public record DownResult(List<String> containers, List<String> volumes, Path backups) {
    public DownResult(List<String> containers, List<String> volumes) {
      this(containers, volumes, null);
    }
  }

  /**
   * Brings the sandbox up: volumes, primary, Redis, staging, the registry and the notification
   * sinks, the secondary site (PostgreSQL, Redis, S3) and the frontend, the database and the
   * replication slot, the replica, the backend, the task worker and the front proxy, Redis's
   * replica and its three Sentinels, each waited for until healthy; staging's and the secondary's
   * empty databases; then the dataset (seeded when missing or when {@code options.scale()} differs
   * from its scale), the replica's streaming, Redis's replica in sync and the Sentinels agreeing on
   * its master, and the targets file. Idempotent: healthy containers made from the same spec are
   * kept; containers that are stopped, unhealthy or made differently are recreated (their volumes
   * kept).
   *
   * @throws SandboxException naming the container that failed, with the tail of its logs
   */
  public UpResult up(UpOptions options) {
    return provisioner.up(options);
  }

  /** Removes the sandbox's containers, its volumes and its backup store directory. */
  public DownResult down() {
    return down(false);
  }

  /**
   * Removes the sandbox's containers and then its volumes: everything labelled with its name; and
   * its backup store directory unless {@code keepBackups}. A directory is removed only when it
   * carries this sandbox's marker file, i.e. {@link #up} made it a sandbox's store.
   */
  public DownResult down(boolean keepBackups) {
    // Four at a time: the engine stops and removes each in a second or so, mostly waiting.
    List<String> containers =
        inParallel(
            engine.containers(layout.name()),
            container -> {
              String name =
                  container.getNames() == null || container.getNames().length == 0
                      ? container.getId()
                      : container.getNames()[0].replaceFirst("^/", "");
              engine.remove(container.getId());
              synchronized (progress) {
                progress.accept("removed container " + name);
              }
              return name;
            });
    List<String> volumes =
        inParallel(
            engine.volumes(layout.name()),
            volume -> {
              engine.removeVolume(volume);
              synchronized (progress) {
                progress.accept("removed volume " + volume);
              }
              return volume;
            });
    Path removed = null;
    if (archiving.backups() != null && Files.isDirectory(archiving.backups())) {
      if (keepBackups) {
        progress.accept("kept the backup store " + archiving.backups());
      } else {
        SandboxBackups.remove(archiving.backups(), layout.name());
        progress.accept("removed the backup store " + archiving.backups());
        removed = archiving.backups();
      }
    }
    return new DownResult(containers, volumes, removed);
  }

  /**
   * {@code action} on every item, four at a time; the results in the items' order. The first
   * failure is thrown once every action has ended.
   */
  private static <T> List<String> inParallel(List<T> items, Function<T, String> action) {
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(4, items.size())));
    try {
      List<Future<String>> started = new ArrayList<>();
      for (T item : items) {
        started.add(pool.submit(() -> action.apply(item)));
      }
      List<String> done = new ArrayList<>();
      RuntimeException failure = null;
      for (Future<String> future : started) {
        try {
          done.add(future.get());
        } catch (ExecutionException e) {
          if (failure == null) {
            failure =
                e.getCause() instanceof RuntimeException cause
                    ? cause
                    : new SandboxException(e.getCause().getMessage(), e.getCause());
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new SandboxException("interrupted while taking the sandbox down", e);
        }
      }
      if (failure != null) {
        throw failure;
      }
      return done;
    } finally {
      pool.shutdown();
    }
  }

  /** Looks at every container, probes every service and reads replication and the manifest. */
  public SandboxStatus status() {
    List<SandboxStatus.Service> list = new ArrayList<>();
    for (Role role : Role.values()) {
      String name = layout.container(role);
      Optional<InspectContainerResponse> container = engine.find(name);
      String state = container.map(c -> c.getState().getStatus()).orElse("missing");
      String health = container.map(Sandbox::healthOf).orElse("-");
      Probes.Probe probe = Probes.of(layout, role);
      list.add(
          new SandboxStatus.Service(
              role, name, layout.port(role), state, health, probe.ok(), probe.detail()));
    }
    SandboxStatus.Replication replication = null;
    SandboxStatus.Archiver archiver = null;
    List<Dataset.ManifestEntry> manifest = List.of();
    String datasetProblem = null;
    try (Connection connection = primary()) {
      replication = PrimaryDatabase.replication(connection);
      archiver = PrimaryDatabase.archiver(connection);
      manifest = Dataset.manifest(connection).orElse(List.of());
      if (manifest.isEmpty()) {
        datasetProblem = "no manifest: the dataset was never seeded (drctl sandbox up)";
      }
    } catch (SQLException e) {
      datasetProblem = "primary unreachable: " + PostgresConnections.describe(e);
    }
    Path backups =
        archiving.backups() != null && Files.isDirectory(archiving.backups())
            ? archiving.backups()
            : null;
    return new SandboxStatus(
        layout.name(),
        engine.host(),
        list,
        replication,
        manifest,
        datasetProblem,
        archiver,
        backups);
  }

  /**
   * Replaces a role's container with one made from its spec plus {@code environment}, and starts it
   * without waiting: for drills, e.g. {@code BACKEND_CRASH=1} to make the backend crash-loop. The
   * next {@link #up} puts the normal container back (the spec differs). Returns its id.
   */
  public String recreate(Role role, Map<String, String> environment) {
    ServiceSpec spec = services.of(role).withEnvironment(environment);
    engine.find(spec.container()).ifPresent(existing -> engine.remove(existing.getId()));
    String id = engine.create(spec, layout.name());
    engine.start(id);
    progress.accept(
        "recreated " + spec.container() + " with " + String.join(" ", environment.keySet()));
    return id;
  }

  /** A JDBC connection to the primary's database. */
  public Connection primary() throws SQLException {
    return PostgresConnections.open(layout, Role.PRIMARY, SandboxLayout.DATABASE, 5);
  }

  /** A JDBC connection to staging's database. */
  public Connection staging() throws SQLException {
    return PostgresConnections.open(layout, Role.STAGING, SandboxLayout.DATABASE, 5);
  }

  /** A JDBC connection to the replica's database (read-only). */
  public Connection replica() throws SQLException {
    return PostgresConnections.open(layout, Role.REPLICA, SandboxLayout.DATABASE, 5);
  }

  static String healthOf(InspectContainerResponse container) {
    var health = container.getState().getHealth();
    return health == null || health.getStatus() == null ? "none" : health.getStatus();
  }
}
