package io.drctl.sandbox;

import com.github.dockerjava.api.command.InspectContainerResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Creates or repairs one sandbox's volumes and containers, waits for each to be healthy and seeds
 * the dataset: the body of {@link Sandbox#up}. Keeps what is healthy and made from the same spec,
 * and refuses to adopt a container that another sandbox (or nobody) labelled. Not thread-safe.
 */
final class SandboxProvisioner {
  private static final int LOG_TAIL_LINES = 25;
  private static final Duration POLL = Duration.ofMillis(250);

  /** The secondary datacenter: restore target, empty cache and the off-site S3 store. */
  private static final List<Role> SECONDARY_SITE =
      List.of(Role.PG_SECONDARY, Role.REDIS_SECONDARY, Role.S3);

  private final SandboxEngine engine;
  private final SandboxLayout layout;
  private final SandboxImages images;
  private final ServiceDefinitions services;
  private final Consumer<String> progress;
  private final PrimaryDatabase primaryDatabase;
  private final WalArchiving archiving;

  SandboxProvisioner(
      SandboxEngine engine,
      SandboxLayout layout,
      SandboxImages images,
      ServiceDefinitions services,
      WalArchiving archiving,
      Consumer<String> progress) {
    this.engine = engine;
    this.layout = layout;
    this.images = images;
    this.services = services;
    this.archiving = archiving;
    this.progress = progress;
    this.primaryDatabase = new PrimaryDatabase(layout, progress);
  }

  /** See {@link Sandbox#up}. */
  Sandbox.UpResult up(Sandbox.UpOptions options) {
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
    // While the replica copies the primary and the other services start: the replica streams what
    // the seed writes.
    Optional<Dataset.SeedResult> seeded = ensureDataset(options.scale());
    awaitHealthy(Role.REPLICA);
    awaitHealthy(Role.BACKEND);
    awaitHealthy(Role.STAGING);
    prepareEmptyDatabase(Role.STAGING);
    awaitHealthy(Role.REGISTRY);
    awaitHealthy(Role.PAGERDUTY);
    awaitHealthy(Role.SLACK);
    awaitHealthy(Role.REDIS_REPLICA);
    for (Role sentinel : Role.SENTINELS) {
      awaitHealthy(sentinel);
    }
    for (Role role :
        List.of(
            Role.FRONTEND,
            Role.TASK_WORKER,
            Role.PROXY,
            Role.PG_SECONDARY,
            Role.REDIS_SECONDARY,
            Role.S3)) {
      awaitHealthy(role);
    }
    prepareEmptyDatabase(Role.PG_SECONDARY);

    List<Dataset.ManifestEntry> manifest = readManifest();
    primaryDatabase.awaitStreaming();
    new RedisGroup(layout).awaitReplicatingAndWatched();
    progress.accept(
        "redis: replica in sync, " + Role.SENTINELS.size() + " Sentinels agree on the master");
    // Up ends when Docker too says every service is healthy, so that status agrees with up; its
    // checks have mostly run meanwhile.
    for (Role role : Role.values()) {
      awaitHealthy(role, false);
    }
    SandboxTargets.write(layout, options.targetsFile());
    progress.accept("targets file: " + options.targetsFile());
    return new Sandbox.UpResult(
        actions,
        seeded,
        manifest,
        options.targetsFile(),
        Duration.ofNanos(System.nanoTime() - started));
  }

  /**
   * The empty application database on a restore target (staging, the secondary site's server), made
   * once, so that the runbook's pg-staging and pg-secondary targets answer.
   */
  private void prepareEmptyDatabase(Role role) {
    try (Connection connection = PostgresConnections.open(layout, role, "postgres", 5);
        Statement statement = connection.createStatement();
        ResultSet exists =
            statement.executeQuery(
                "SELECT 1 FROM pg_database WHERE datname = '" + SandboxLayout.DATABASE + "'")) {
      if (!exists.next()) {
        statement.execute("CREATE DATABASE " + SandboxLayout.DATABASE);
        progress.accept(role + ": created the empty database " + SandboxLayout.DATABASE);
      }
    } catch (SQLException e) {
      throw new SandboxException(
          "preparing "
              + role
              + " "
              + layout.container(role)
              + " failed: "
              + PostgresConnections.describe(e),
          e);
    }
  }

  /**
   * Seeds when there is no dataset, or when {@code scale} is given and differs from the dataset's.
   */
  private Optional<Dataset.SeedResult> ensureDataset(Integer scale) {
    try (Connection connection =
        PostgresConnections.open(layout, Role.PRIMARY, SandboxLayout.DATABASE, 5)) {
      Optional<List<Dataset.ManifestEntry>> existing = Dataset.manifest(connection);
      int existingScale = existing.map(entries -> entries.get(0).scale()).orElse(0);
      if (existing.isPresent() && (scale == null || scale == existingScale)) {
        progress.accept("dataset: kept (scale " + existingScale + ")");
        return Optional.empty();
      }
      int wanted = scale == null ? 1 : scale;
      progress.accept(
          existing.isEmpty()
              ? "seeding the dataset at scale " + wanted
              : "reseeding the dataset: scale " + existingScale + " -> " + wanted);
      Dataset.SeedResult result = Dataset.seed(connection, wanted);
      progress.accept(
          String.format(
              java.util.Locale.ROOT,
              "dataset: scale %d, %,d rows, %.1f MB in %.1f s (%.1f MB/s)",
              wanted,
              result.rows().values().stream().mapToLong(Long::longValue).sum(),
              result.megabytes(),
              result.took().toMillis() / 1000.0,
              result.megabytesPerSecond()));
      return Optional.of(result);
    } catch (SQLException e) {
      throw new SandboxException(
          "seeding the dataset on "
              + layout.container(Role.PRIMARY)
              + " failed: "
              + PostgresConnections.describe(e),
          e);
    }
  }

  private List<Dataset.ManifestEntry> readManifest() {
    try (Connection connection =
        PostgresConnections.open(layout, Role.PRIMARY, SandboxLayout.DATABASE, 5)) {
      return Dataset.manifest(connection)
          .orElseThrow(
              () ->
                  new SandboxException(
                      "the dataset on " + layout.container(Role.PRIMARY) + " has no manifest"));
    } catch (SQLException e) {
      throw new SandboxException(
          "reading the dataset's manifest on "
              + layout.container(Role.PRIMARY)
              + " failed: "
              + PostgresConnections.describe(e),
          e);
    }
  }

  /**
   * Makes the store directory with this sandbox's marker; refuses a directory another owner uses.
   */
  private void prepareBackups() {
    if (archiving.backups() == null) {
      return;
    }
    SandboxBackups.prepare(archiving.backups(), layout.name());
    progress.accept(
        "backup store "
            + archiving.backups()
            + (archiving.throughDrctl()
                ? " (archive_command: drctl wal push from " + archiving.drctlJar() + ")"
                : " (no drctl jar: WAL is copied into the volume "
                    + layout.walArchiveVolume()
                    + ")"));
  }

  private void checkOwnership(InspectContainerResponse container) {
    String name = container.getName().replaceFirst("^/", "");
    Map<String, String> labels = container.getConfig().getLabels();
    String owner = labels == null ? null : labels.get(SandboxLayout.SANDBOX_LABEL);
    if (!layout.name().equals(owner)) {
      throw new SandboxException(
          "container "
              + name
              + " exists but is not part of sandbox "
              + layout.name()
              + (owner == null ? "" : " (it belongs to sandbox " + owner + ")")
              + "; remove it (docker rm -f "
              + name
              + ") or choose another --name");
    }
  }

  /**
   * Keeps a running container made from the same spec and not unhealthy; otherwise makes it anew.
   */
  private String ensureRunning(Role role) {
    ServiceSpec spec = services.of(role);
    Optional<InspectContainerResponse> existing = engine.find(spec.container());
    String action = "created";
    if (existing.isPresent()) {
      InspectContainerResponse container = existing.get();
      Map<String, String> labels = container.getConfig().getLabels();
      boolean sameSpec =
          labels != null && spec.fingerprint().equals(labels.get(ServiceSpec.FINGERPRINT_LABEL));
      boolean running = Boolean.TRUE.equals(container.getState().getRunning());
      if (sameSpec && running && !"unhealthy".equals(Sandbox.healthOf(container))) {
        progress.accept(spec.container() + ": kept (" + Sandbox.healthOf(container) + ")");
        return "kept";
      }
      progress.accept(
          spec.container()
              + ": replacing ("
              + (!sameSpec
                  ? "made from another spec"
                  : running ? "unhealthy" : container.getState().getStatus())
              + ")");
      engine.remove(container.getId());
      action = "recreated";
    }
    requireFreePort(role);
    String id = engine.create(spec, layout.name());
    engine.start(id);
    progress.accept(
        spec.container()
            + ": "
            + action
            + " ("
            + spec.image()
            + ", port "
            + layout.port(role)
            + ")");
    return action;
  }

  private void requireFreePort(Role role) {
    int port = layout.port(role);
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
    } catch (IOException e) {
      throw new SandboxException(
          "port "
              + port
              + " for "
              + layout.container(role)
              + " is in use (a server, or a"
              + " closed connection's TIME_WAIT for up to a minute); free it, or use another sandbox (--name N,"
              + " --port-base P)");
    }
  }

  private void awaitHealthy(Role role) {
    awaitHealthy(role, true);
  }

  /**
   * Waits until {@code role}'s container is healthy: by Docker's HEALTHCHECK, or, with {@code
   * orItsCommand}, as soon as its health command passes when run now (Docker runs its first check
   * only an interval after the start).
   */
  private void awaitHealthy(Role role, boolean orItsCommand) {
    ServiceSpec spec = services.of(role);
    long deadline = System.nanoTime() + spec.healthWait().toNanos();
    while (true) {
      InspectContainerResponse container = engine.inspect(spec.container());
      InspectContainerResponse.ContainerState state = container.getState();
      String health = Sandbox.healthOf(container);
      if (!Boolean.TRUE.equals(state.getRunning())) {
        throw unhealthy(spec, container.getId(), "exited with code " + state.getExitCodeLong());
      }
      if ("healthy".equals(health)) {
        if (orItsCommand) {
          progress.accept(spec.container() + ": healthy");
        }
        return;
      }
      if ("unhealthy".equals(health)) {
        throw unhealthy(spec, container.getId(), "is unhealthy");
      }
      if (orItsCommand && engine.passesHealthCommand(container.getId(), spec.healthCommand())) {
        progress.accept(spec.container() + ": healthy (its health command passed)");
        return;
      }
      if (System.nanoTime() > deadline) {
        throw unhealthy(
            spec,
            container.getId(),
            "was not healthy within "
                + spec.healthWait().toSeconds()
                + " s (health: "
                + health
                + ")");
      }
      sleep(POLL);
    }
  }

  private SandboxException unhealthy(ServiceSpec spec, String id, String what) {
    String tail = engine.logTail(id, LOG_TAIL_LINES);
    return new SandboxException(
        "container "
            + spec.container()
            + " ("
            + spec.role()
            + ") "
            + what
            + "; fix the cause and run drctl sandbox up again (or drctl sandbox reset"
            + options()
            + " for a fresh start). Its last log lines:\n"
            + (tail.isEmpty()
                ? "  (none)"
                : tail.lines()
                    .map(line -> "  | " + line)
                    .reduce((a, b) -> a + "\n" + b)
                    .orElse("")));
  }

  /** The options that name this sandbox on the command line, for hints. */
  private String options() {
    if (layout.isDefault()) {
      return "";
    }
    return " --name "
        + layout.name()
        + (layout.portBase() == SandboxLayout.derivedPortBase(layout.name())
            ? ""
            : " --port-base " + layout.portBase());
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
