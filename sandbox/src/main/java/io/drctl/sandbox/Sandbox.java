package io.drctl.sandbox;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Container;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One sandbox on one Docker engine: {@link #up}, {@link #down}, {@link #status}. Touches only
 * containers and volumes labelled {@value SandboxLayout#SANDBOX_LABEL}={@code name}, and refuses
 * to adopt a container or volume of the same name that is not. Not thread-safe.
 */
public final class Sandbox {
  private static final int LOG_TAIL_LINES = 25;
  private static final Duration POLL = Duration.ofMillis(500);
  /** The secondary datacenter: restore target, empty cache and the off-site S3 store. */
  private static final List<Role> SECONDARY_SITE = List.of(Role.PG_SECONDARY, Role.REDIS_SECONDARY, Role.S3);

  private final SandboxEngine engine;
  private final SandboxLayout layout;
  private final SandboxImages images;
  private final ServiceDefinitions services;
  private final Consumer<String> progress;
  private final PrimaryDatabase primaryDatabase;
  private final WalArchiving archiving;

  /**
   * A sandbox whose primary archives WAL by copying it into the archive volume, with no backup store.
   *
   * @param progress receives one line per thing done, as it happens
   */
  public Sandbox(SandboxEngine engine, SandboxLayout layout, SandboxImages images, Consumer<String> progress) {
    this(engine, layout, images, WalArchiving.volumeCopy(), progress);
  }

  /**
   * A sandbox with the given WAL archiving: with a store and a drctl jar, both servers push and fetch
   * WAL through {@code drctl wal} into the store on the host.
   *
   * @param progress receives one line per thing done, as it happens
   */
  public Sandbox(SandboxEngine engine, SandboxLayout layout, SandboxImages images, WalArchiving archiving,
      Consumer<String> progress) {
    this.engine = engine;
    this.layout = layout;
    this.images = images;
    this.archiving = archiving;
    this.services = new ServiceDefinitions(layout, images, archiving);
    this.progress = progress;
    this.primaryDatabase = new PrimaryDatabase(layout, progress);
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
  public record UpResult(Map<Role, String> actions, Optional<Dataset.SeedResult> seeded,
      List<Dataset.ManifestEntry> manifest, Path targetsFile, Duration took) {}

  /**
   * What {@link #down} removed.
   *
   * @param backups the backup store directory removed, or {@code null} when none was (kept, or there is none)
   */
  public record DownResult(List<String> containers, List<String> volumes, Path backups) {
    public DownResult(List<String> containers, List<String> volumes) {
      this(containers, volumes, null);
    }
  }

  /**
   * Brings the sandbox up: volumes, primary, Redis, staging, the registry and the notification
   * sinks, the secondary site (PostgreSQL, Redis, S3) and the frontend, the database and the
   * replication slot, the replica, the backend, the task worker and the front proxy, Redis's replica
   * and its three Sentinels, each
   * waited for until healthy; staging's and the secondary's empty databases; then the dataset (seeded when missing
   * or when {@code options.scale()} differs from its scale), the replica's streaming, Redis's
   * replica in sync and the Sentinels agreeing on its master, and the targets file. Idempotent: healthy containers made from the same spec are kept; containers that
   * are stopped, unhealthy or made differently are recreated (their volumes kept).
   *
   * @throws SandboxException naming the container that failed, with the tail of its logs
   */
  public UpResult up(UpOptions options) {
    long started = System.nanoTime();
    Set<String> needed = new LinkedHashSet<>();
    for (Role role : Role.values()) {
      if (needed.add(images.of(role))) {
        engine.requireImage(images.of(role), role, images);
      }
    }
    for (Role role : Role.values()) {
      Optional<InspectContainerResponse> existing = engine.find(layout.container(role));
      existing.ifPresent(this::checkOwnership);
      if (existing.isEmpty() || !Boolean.TRUE.equals(existing.get().getState().getRunning())) {
        requireFreePort(role);
      }
    }
    archiving.validate();
    prepareBackups();
    engine.ensureVolume(layout.primaryVolume(), layout.name(), "postgres-data");
    if (!archiving.throughDrctl()) {
      engine.ensureVolume(layout.walArchiveVolume(), layout.name(), "wal-archive");
    }
    engine.ensureVolume(layout.replicaVolume(), layout.name(), "postgres-replica-data");
    engine.ensureVolume(layout.redisVolume(), layout.name(), "redis-data");
    engine.ensureVolume(layout.redisReplicaVolume(), layout.name(), "redis-replica-data");
    engine.ensureVolume(layout.stagingVolume(), layout.name(), "postgres-staging-data");
    engine.ensureVolume(layout.registryVolume(), layout.name(), "registry-data");
    engine.ensureVolume(layout.notificationsVolume(), layout.name(), "notifications");
    engine.ensureVolume(layout.secondaryVolume(), layout.name(), "postgres-secondary-data");
    engine.ensureVolume(layout.redisSecondaryVolume(), layout.name(), "redis-secondary-data");
    engine.ensureVolume(layout.s3Volume(), layout.name(), "s3-data");

    Map<Role, String> actions = new java.util.EnumMap<>(Role.class);
    actions.put(Role.PRIMARY, ensureRunning(Role.PRIMARY));
    actions.put(Role.REDIS, ensureRunning(Role.REDIS));
    actions.put(Role.STAGING, ensureRunning(Role.STAGING));
    actions.put(Role.REGISTRY, ensureRunning(Role.REGISTRY));
    actions.put(Role.PAGERDUTY, ensureRunning(Role.PAGERDUTY));
    actions.put(Role.SLACK, ensureRunning(Role.SLACK));
    for (Role secondary : SECONDARY_SITE) {
      actions.put(secondary, ensureRunning(secondary));
    }
    actions.put(Role.FRONTEND, ensureRunning(Role.FRONTEND));
    awaitHealthy(Role.PRIMARY);
    primaryDatabase.prepare();
    actions.put(Role.REPLICA, ensureRunning(Role.REPLICA));
    actions.put(Role.BACKEND, ensureRunning(Role.BACKEND));
    actions.put(Role.TASK_WORKER, ensureRunning(Role.TASK_WORKER));
    actions.put(Role.PROXY, ensureRunning(Role.PROXY));
    awaitHealthy(Role.REDIS);
    // The Sentinels start once the master answers, so that none of them counts it down at birth.
    actions.put(Role.REDIS_REPLICA, ensureRunning(Role.REDIS_REPLICA));
    for (Role sentinel : Role.SENTINELS) {
      actions.put(sentinel, ensureRunning(sentinel));
    }
    awaitHealthy(Role.REPLICA);
    awaitHealthy(Role.BACKEND);
    awaitHealthy(Role.STAGING);
    awaitHealthy(Role.REGISTRY);
    awaitHealthy(Role.PAGERDUTY);
    awaitHealthy(Role.SLACK);
    awaitHealthy(Role.REDIS_REPLICA);
    for (Role sentinel : Role.SENTINELS) {
      awaitHealthy(sentinel);
    }
    for (Role role : List.of(Role.FRONTEND, Role.TASK_WORKER, Role.PROXY, Role.PG_SECONDARY, Role.REDIS_SECONDARY,
        Role.S3)) {
      awaitHealthy(role);
    }
    prepareEmptyDatabase(Role.STAGING);
    prepareEmptyDatabase(Role.PG_SECONDARY);

    Optional<Dataset.SeedResult> seeded = ensureDataset(options.scale());
    List<Dataset.ManifestEntry> manifest = readManifest();
    primaryDatabase.awaitStreaming();
    new RedisGroup(layout).awaitReplicatingAndWatched();
    progress.accept("redis: replica in sync, " + Role.SENTINELS.size() + " Sentinels agree on the master");
    SandboxTargets.write(layout, options.targetsFile());
    progress.accept("targets file: " + options.targetsFile());
    return new UpResult(actions, seeded, manifest, options.targetsFile(), Duration.ofNanos(System.nanoTime() - started));
  }

  /**
   * The empty application database on a restore target (staging, the secondary site's server), made
   * once, so that the runbook's pg-staging and pg-secondary targets answer.
   */
  private void prepareEmptyDatabase(Role role) {
    try (Connection connection = PostgresConnections.open(layout, role, "postgres", 5);
        Statement statement = connection.createStatement();
        ResultSet exists = statement.executeQuery(
            "SELECT 1 FROM pg_database WHERE datname = '" + SandboxLayout.DATABASE + "'")) {
      if (!exists.next()) {
        statement.execute("CREATE DATABASE " + SandboxLayout.DATABASE);
        progress.accept(role + ": created the empty database " + SandboxLayout.DATABASE);
      }
    } catch (SQLException e) {
      throw new SandboxException("preparing " + role + " " + layout.container(role) + " failed: "
          + PostgresConnections.describe(e), e);
    }
  }

  /** Seeds when there is no dataset, or when {@code scale} is given and differs from the dataset's. */
  private Optional<Dataset.SeedResult> ensureDataset(Integer scale) {
    try (Connection connection = primary()) {
      Optional<List<Dataset.ManifestEntry>> existing = Dataset.manifest(connection);
      int existingScale = existing.map(entries -> entries.get(0).scale()).orElse(0);
      if (existing.isPresent() && (scale == null || scale == existingScale)) {
        progress.accept("dataset: kept (scale " + existingScale + ")");
        return Optional.empty();
      }
      int wanted = scale == null ? 1 : scale;
      progress.accept(existing.isEmpty()
          ? "seeding the dataset at scale " + wanted
          : "reseeding the dataset: scale " + existingScale + " -> " + wanted);
      Dataset.SeedResult result = Dataset.seed(connection, wanted);
      progress.accept(String.format(java.util.Locale.ROOT, "dataset: scale %d, %,d rows, %.1f MB in %.1f s (%.1f MB/s)",
          wanted, result.rows().values().stream().mapToLong(Long::longValue).sum(), result.megabytes(),
          result.took().toMillis() / 1000.0, result.megabytesPerSecond()));
      return Optional.of(result);
    } catch (SQLException e) {
      throw new SandboxException("seeding the dataset on " + layout.container(Role.PRIMARY) + " failed: "
          + PostgresConnections.describe(e), e);
    }
  }

  private List<Dataset.ManifestEntry> readManifest() {
    try (Connection connection = primary()) {
      return Dataset.manifest(connection).orElseThrow(
          () -> new SandboxException("the dataset on " + layout.container(Role.PRIMARY) + " has no manifest"));
    } catch (SQLException e) {
      throw new SandboxException("reading the dataset's manifest on " + layout.container(Role.PRIMARY) + " failed: "
          + PostgresConnections.describe(e), e);
    }
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
    List<String> containers = new ArrayList<>();
    for (Container container : engine.containers(layout.name())) {
      String name = container.getNames() == null || container.getNames().length == 0
          ? container.getId() : container.getNames()[0].replaceFirst("^/", "");
      engine.remove(container.getId());
      progress.accept("removed container " + name);
      containers.add(name);
    }
    List<String> volumes = new ArrayList<>();
    for (String volume : engine.volumes(layout.name())) {
      engine.removeVolume(volume);
      progress.accept("removed volume " + volume);
      volumes.add(volume);
    }
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

  /** Makes the store directory with this sandbox's marker; refuses a directory another owner uses. */
  private void prepareBackups() {
    if (archiving.backups() == null) {
      return;
    }
    SandboxBackups.prepare(archiving.backups(), layout.name());
    progress.accept("backup store " + archiving.backups() + (archiving.throughDrctl()
        ? " (archive_command: drctl wal push from " + archiving.drctlJar() + ")"
        : " (no drctl jar: WAL is copied into the volume " + layout.walArchiveVolume() + ")"));
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
      list.add(new SandboxStatus.Service(role, name, layout.port(role), state, health, probe.ok(), probe.detail()));
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
    Path backups = archiving.backups() != null && Files.isDirectory(archiving.backups()) ? archiving.backups() : null;
    return new SandboxStatus(layout.name(), engine.host(), list, replication, manifest, datasetProblem, archiver,
        backups);
  }

  /**
   * Replaces a role's container with one made from its spec plus {@code environment}, and starts
   * it without waiting: for drills, e.g. {@code BACKEND_CRASH=1} to make the backend crash-loop.
   * The next {@link #up} puts the normal container back (the spec differs). Returns its id.
   */
  public String recreate(Role role, Map<String, String> environment) {
    ServiceSpec spec = services.of(role).withEnvironment(environment);
    engine.find(spec.container()).ifPresent(existing -> engine.remove(existing.getId()));
    String id = engine.create(spec, layout.name());
    engine.start(id);
    progress.accept("recreated " + spec.container() + " with " + String.join(" ", environment.keySet()));
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

  private void checkOwnership(InspectContainerResponse container) {
    String name = container.getName().replaceFirst("^/", "");
    Map<String, String> labels = container.getConfig().getLabels();
    String owner = labels == null ? null : labels.get(SandboxLayout.SANDBOX_LABEL);
    if (!layout.name().equals(owner)) {
      throw new SandboxException("container " + name + " exists but is not part of sandbox " + layout.name()
          + (owner == null ? "" : " (it belongs to sandbox " + owner + ")")
          + "; remove it (docker rm -f " + name + ") or choose another --name");
    }
  }

  /** Keeps a running container made from the same spec and not unhealthy; otherwise makes it anew. */
  private String ensureRunning(Role role) {
    ServiceSpec spec = services.of(role);
    Optional<InspectContainerResponse> existing = engine.find(spec.container());
    String action = "created";
    if (existing.isPresent()) {
      InspectContainerResponse container = existing.get();
      Map<String, String> labels = container.getConfig().getLabels();
      boolean sameSpec = labels != null && spec.fingerprint().equals(labels.get(ServiceSpec.FINGERPRINT_LABEL));
      boolean running = Boolean.TRUE.equals(container.getState().getRunning());
      if (sameSpec && running && !"unhealthy".equals(healthOf(container))) {
        progress.accept(spec.container() + ": kept (" + healthOf(container) + ")");
        return "kept";
      }
      progress.accept(spec.container() + ": replacing ("
          + (!sameSpec ? "made from another spec" : running ? "unhealthy" : container.getState().getStatus()) + ")");
      engine.remove(container.getId());
      action = "recreated";
    }
    requireFreePort(role);
    String id = engine.create(spec, layout.name());
    engine.start(id);
    progress.accept(spec.container() + ": " + action + " (" + spec.image() + ", port " + layout.port(role) + ")");
    return action;
  }

  private void requireFreePort(Role role) {
    int port = layout.port(role);
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
    } catch (IOException e) {
      throw new SandboxException("port " + port + " for " + layout.container(role) + " is in use (a server, or a"
          + " closed connection's TIME_WAIT for up to a minute); free it, or use another sandbox (--name N,"
          + " --port-base P)");
    }
  }

  private void awaitHealthy(Role role) {
    ServiceSpec spec = services.of(role);
    long deadline = System.nanoTime() + spec.healthWait().toNanos();
    while (true) {
      InspectContainerResponse container = engine.inspect(spec.container());
      InspectContainerResponse.ContainerState state = container.getState();
      String health = healthOf(container);
      if (!Boolean.TRUE.equals(state.getRunning())) {
        throw unhealthy(spec, container.getId(), "exited with code " + state.getExitCodeLong());
      }
      if ("healthy".equals(health)) {
        progress.accept(spec.container() + ": healthy");
        return;
      }
      if ("unhealthy".equals(health)) {
        throw unhealthy(spec, container.getId(), "is unhealthy");
      }
      if (System.nanoTime() > deadline) {
        throw unhealthy(spec, container.getId(), "was not healthy within " + spec.healthWait().toSeconds()
            + " s (health: " + health + ")");
      }
      sleep(POLL);
    }
  }

  private SandboxException unhealthy(ServiceSpec spec, String id, String what) {
    String tail = engine.logTail(id, LOG_TAIL_LINES);
    return new SandboxException("container " + spec.container() + " (" + spec.role() + ") " + what
        + "; fix the cause and run drctl sandbox up again (or drctl sandbox reset" + options()
        + " for a fresh start). Its last log lines:\n"
        + (tail.isEmpty() ? "  (none)" : tail.lines().map(line -> "  | " + line).reduce((a, b) -> a + "\n" + b)
            .orElse("")));
  }

  /** The options that name this sandbox on the command line, for hints. */
  private String options() {
    if (layout.isDefault()) {
      return "";
    }
    return " --name " + layout.name()
        + (layout.portBase() == SandboxLayout.derivedPortBase(layout.name()) ? "" : " --port-base " + layout.portBase());
  }

  static String healthOf(InspectContainerResponse container) {
    var health = container.getState().getHealth();
    return health == null || health.getStatus() == null ? "none" : health.getStatus();
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SandboxException("interrupted while waiting for the sandbox");
    }
  }
}
