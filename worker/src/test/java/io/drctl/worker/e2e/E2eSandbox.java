package io.drctl.worker.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import io.drctl.activities.docker.DockerClients;
import io.drctl.activities.docker.DockerOptions;
import io.drctl.sandbox.Role;
import io.drctl.sandbox.Sandbox;
import io.drctl.sandbox.SandboxEngine;
import io.drctl.sandbox.SandboxImages;
import io.drctl.sandbox.SandboxLayout;
import io.drctl.sandbox.SandboxNotifications;
import io.drctl.store.local.LocalDirectories;
import io.drctl.testing.Await;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What every end-to-end test runs against: a test sandbox of its own (taken down first, in case an
 * aborted run left it; not brought up: each test decides when and at what scale) whose Slack and
 * PagerDuty stand-ins receive the incidents' notifications, a local backup store in {@code dir}, a
 * targets file naming all of them, and a Temporal server with a worker in its own JVM ({@link
 * E2eHarness}). {@link #close} takes everything down again, the sandbox's containers and volumes
 * included.
 */
final class E2eSandbox implements AutoCloseable, BeforeAllCallback, AfterAllCallback {
  /**
   * The secrets the worker needs for the runbook's slack and pagerduty targets and its S3 store
   * (backups-s3, the secondary site's S3Proxy): the sandbox's.
   */
  static final Map<String, String> SANDBOX_SECRETS =
      Map.of(
          "SLACK_TOKEN",
          "Bearer " + SandboxLayout.NOTIFY_TOKEN,
          "PAGERDUTY_ROUTING_KEY",
          SandboxLayout.NOTIFY_TOKEN,
          "DRCTL_S3_ACCESS_KEY_ID",
          SandboxLayout.S3_ACCESS_KEY,
          "DRCTL_S3_SECRET_ACCESS_KEY",
          SandboxLayout.S3_SECRET_KEY);

  private final SandboxLayout layout;
  private final String queue;
  private final boolean bringUp;
  private Path dir;
  private SandboxEngine engine;
  private DockerClient docker;
  private Sandbox sandbox;
  private Path store;
  private Path targets;
  private E2eHarness harness;

  private E2eSandbox(SandboxLayout layout, String queue, boolean bringUp) {
    this.layout = layout;
    this.queue = queue;
    this.bringUp = bringUp;
  }

  /**
   * The per-class set-up of an end-to-end test as a JUnit 5 extension: register it in a static
   * field with {@code @RegisterExtension}; before the class's tests (and its own
   * {@code @BeforeAll}) it starts everything in a temporary directory ({@link #dir()}), and after
   * them it takes everything down and deletes the directory. The sandbox is not brought up; see
   * {@link #broughtUp()}.
   */
  static E2eSandbox forEachClass(SandboxLayout layout, String queue) {
    return new E2eSandbox(layout, queue, false);
  }

  /** The same extension, bringing the sandbox up at scale 1 once everything has started. */
  E2eSandbox broughtUp() {
    return new E2eSandbox(layout, queue, true);
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    dir = Files.createTempDirectory("drctl-e2e-" + layout.name() + "-");
    startIn(dir, Map.of(), Map.of(), bringUp);
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    try {
      close();
    } finally {
      LocalDirectories.deleteRecursively(dir);
    }
  }

  /** The directory the extension started everything in: logs, the targets file, the local store. */
  Path dir() {
    return dir;
  }

  static E2eSandbox start(Path dir, SandboxLayout layout, String queue) throws Exception {
    return start(dir, layout, queue, Map.of(), Map.of());
  }

  /**
   * The same, with {@code moreTargets} added to the targets file (e.g. an S3 backup store the test
   * runs) and {@code moreEnvironment} in the worker's environment (the secrets they refer to).
   */
  static E2eSandbox start(
      Path dir,
      SandboxLayout layout,
      String queue,
      Map<String, JsonNode> moreTargets,
      Map<String, String> moreEnvironment)
      throws Exception {
    E2eSandbox started = new E2eSandbox(layout, queue, false);
    started.startIn(dir, moreTargets, moreEnvironment, false);
    return started;
  }

  /**
   * Starts the Temporal server and the worker, and with {@code bringUp} the sandbox at the same
   * time: neither needs the other until a test starts an incident, and each waits mostly on its
   * processes and containers.
   */
  private void startIn(
      Path dir,
      Map<String, JsonNode> moreTargets,
      Map<String, String> moreEnvironment,
      boolean bringUp)
      throws Exception {
    this.dir = dir;
    CompletableFuture<E2eHarness> starting = null;
    boolean joined = false;
    try {
      engine = SandboxEngine.fromEnvironment();
      docker = DockerClients.open(DockerOptions.defaults());
      sandbox =
          new Sandbox(engine, layout, SandboxImages.fromEnvironment(System.getenv()), line -> {});
      sandbox.down();
      store = Files.createDirectory(dir.resolve("backups"));
      targets =
          E2eHarness.writeTargets(
              layout, store, moreTargets, dir.resolve(layout.name() + ".targets.json"));
      Map<String, String> environment = new java.util.HashMap<>(SANDBOX_SECRETS);
      environment.putAll(moreEnvironment);
      starting =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return E2eHarness.start(dir, queue, targets, environment);
                } catch (Exception e) {
                  throw new CompletionException(e);
                }
              });
      if (bringUp) {
        sandbox.up(new Sandbox.UpOptions(1, dir.resolve("sandbox.targets.json")));
      }
      joined = true;
      harness = started(starting);
    } catch (Exception | Error e) {
      if (starting != null && !joined) {
        // The sandbox failed while the harness started: wait for it, to close it with the rest.
        try {
          harness = started(starting);
        } catch (Exception | Error alsoFailed) {
          e.addSuppressed(alsoFailed);
        }
      }
      close();
      throw e;
    }
  }

  private static E2eHarness started(CompletableFuture<E2eHarness> starting) throws Exception {
    try {
      return starting.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      if (e.getCause() instanceof Error cause) {
        throw cause;
      }
      throw e;
    }
  }

  SandboxEngine engine() {
    return engine;
  }

  DockerClient docker() {
    return docker;
  }

  Sandbox sandbox() {
    return sandbox;
  }

  /**
   * The bodies of the notifications a sink ({@link Role#SLACK} or {@link Role#PAGERDUTY}) accepted,
   * oldest first; refused ones (a wrong token or routing key) are not among them.
   */
  List<String> delivered(Role sink) {
    return new SandboxNotifications(sandbox.layout())
        .after(null).stream()
            .filter(message -> message.service().equals(sink.target()))
            .filter(message -> message.status() >= 200 && message.status() < 300)
            .map(message -> message.body().toString())
            .toList();
  }

  /** The local backup store, the targets file's {@code backups-local}. */
  Path store() {
    return store;
  }

  Path targets() {
    return targets;
  }

  E2eHarness harness() {
    return harness;
  }

  /**
   * Seed 2C: the primary's container and data volume removed, and a new, empty primary made in
   * their place ("docker-compose up -d postgres" on a lost volume), with the empty application
   * database its image would create (the seed's compose file sets POSTGRES_DB).
   */
  void loseThePrimary() throws Exception {
    SandboxLayout layout = sandbox.layout();
    docker.removeContainerCmd(layout.container(Role.PRIMARY)).withForce(true).exec();
    docker.removeVolumeCmd(layout.primaryVolume()).exec();
    engine.ensureVolume(layout.primaryVolume(), layout.name(), "postgres-data");
    sandbox.recreate(Role.PRIMARY, Map.of());
    Await.awaitTrue(
        () -> {
          try (Connection connection =
                  DriverManager.getConnection(
                      layout.jdbcUrl(Role.PRIMARY, "postgres"),
                      SandboxLayout.USER,
                      SandboxLayout.PASSWORD);
              Statement statement = connection.createStatement()) {
            // The new primary creates it at its first start, as the seed's image does with
            // POSTGRES_DB.
            try (ResultSet exists =
                statement.executeQuery(
                    "select 1 from pg_database where datname = '" + SandboxLayout.DATABASE + "'")) {
              if (exists.next()) {
                return true;
              }
            }
            statement.execute("create database " + SandboxLayout.DATABASE);
            return true;
          }
        },
        Duration.ofSeconds(60),
        "the new primary to accept connections");
  }

  /** The folder of backup {@code backupId} in the local store. */
  Path backupFolder(String backupId) throws IOException {
    try (Stream<Path> folders =
        Files.find(
            store.resolve("backups"),
            3,
            (path, attributes) ->
                attributes.isDirectory() && path.getFileName().toString().equals(backupId))) {
      return folders
          .findFirst()
          .orElseThrow(() -> new AssertionError("no backup " + backupId + " in " + store));
    }
  }

  /** The data file of backup {@code backupId} in the local store ({@code BACKUPID.EXT}). */
  Path dataFile(String backupId) throws IOException {
    try (Stream<Path> files = Files.list(backupFolder(backupId))) {
      return files
          .filter(file -> file.getFileName().toString().startsWith(backupId + "."))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no data file for " + backupId));
    }
  }

  /** Inverts one byte in the middle of the file, keeping its size: bit rot in a backup. */
  static void flipAByte(Path file) throws IOException {
    try (RandomAccessFile data = new RandomAccessFile(file.toFile(), "rw")) {
      long middle = data.length() / 2;
      data.seek(middle);
      int value = data.read();
      data.seek(middle);
      data.write(~value & 0xff);
    }
  }

  /** The metadata.json of backup {@code backupId} in the local store. */
  JsonNode metadata(String backupId) throws IOException {
    return new ObjectMapper().readTree(backupFolder(backupId).resolve("metadata.json").toFile());
  }

  @Override
  public void close() throws Exception {
    try (AutoCloseable closeEngine = engine;
        AutoCloseable closeDocker = docker;
        AutoCloseable takeDown = sandbox == null ? null : sandbox::down;
        AutoCloseable closeHarness = harness) {
      // closed in reverse order: the worker and server, the sandbox, docker, the engine
    }
  }
}
