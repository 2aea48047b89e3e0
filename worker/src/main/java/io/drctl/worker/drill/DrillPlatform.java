package io.drctl.worker.drill;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import io.drctl.sandbox.RedisGroup;
import io.drctl.sandbox.Role;
import io.drctl.sandbox.Sandbox;
import io.drctl.sandbox.SandboxEngine;
import io.drctl.sandbox.SandboxLayout;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The sandbox as a drill sees it from outside: its containers, its servers and the backend's own
 * health answer. Injections break it through here; the outside verification and the writers read it
 * through here. Also keeps the repairs an injection left for after its scenario (e.g. the memory
 * limit a cache scenario lowered).
 */
public final class DrillPlatform {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

  private final Sandbox sandbox;
  private final SandboxEngine engine;
  private final DockerClient docker;
  private final RedisGroup redis;
  private final List<Repair> repairs = new ArrayList<>();
  private Repair s3Copy =
      () -> {
        throw new DrillException("this drill takes no S3 copies (no backup schedule was given)");
      };

  /** Something to put back once the scenario that broke it has been measured. */
  @FunctionalInterface
  public interface Repair {
    void run() throws Exception;
  }

  public DrillPlatform(Sandbox sandbox, SandboxEngine engine, DockerClient docker) {
    this.sandbox = sandbox;
    this.engine = engine;
    this.docker = docker;
    this.redis = new RedisGroup(sandbox.layout());
  }

  public Sandbox sandbox() {
    return sandbox;
  }

  public SandboxEngine engine() {
    return engine;
  }

  public SandboxLayout layout() {
    return sandbox.layout();
  }

  public RedisGroup redis() {
    return redis;
  }

  /**
   * Sets what {@link #copyToS3} runs: the drill's own run of the runbook's scheduled backup, dump
   * and S3 copy.
   */
  public void backupSchedule(Repair copy) {
    this.s3Copy = copy;
  }

  /**
   * Runs the backup schedule's S3 copy of the database now and waits for it: what a fail-over to
   * the secondary site restores, as the seed's schedule would have made it shortly before.
   */
  public void copyToS3() throws Exception {
    s3Copy.run();
  }

  /** Whether {@code role}'s container exists and runs. */
  public boolean running(Role role) {
    return engine
        .find(layout().container(role))
        .map(found -> Boolean.TRUE.equals(found.getState().getRunning()))
        .orElse(false);
  }

  /** Registers what to put back after the scenario. */
  public void afterScenario(Repair repair) {
    repairs.add(repair);
  }

  /** Runs and forgets the repairs, newest first; the first failure is thrown after all ran. */
  public void repair() throws Exception {
    Exception first = null;
    for (int i = repairs.size() - 1; i >= 0; i--) {
      try {
        repairs.get(i).run();
      } catch (Exception e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    repairs.clear();
    if (first != null) {
      throw first;
    }
  }

  /**
   * SIGSTOP to the server of {@code role}'s container: it hangs with its connections open. A signal
   * rather than {@code docker pause}, which needs the cgroup freezer that some engines lack.
   */
  public void freeze(Role role) {
    docker.killContainerCmd(layout().container(role)).withSignal("SIGSTOP").exec();
  }

  /** Undoes {@link #freeze}. */
  public void thaw(Role role) {
    docker.killContainerCmd(layout().container(role)).withSignal("SIGCONT").exec();
  }

  /** Where the engine keeps volume {@code name} on this host. */
  public Path volume(String name) {
    return Path.of(docker.inspectVolumeCmd(name).exec().getMountpoint());
  }

  /**
   * Makes the platform healthy again for the next scenario, keeping its data: {@code sandbox up}.
   * When an earlier recovery left the primary a new cluster (a restore into a wiped volume, a
   * point-in-time recovery), the replica cannot stream from it any more: it is then removed with
   * its volume and made again from the primary, as an operator rebuilds a standby. A staging server
   * that cannot start (a failed recovery into it) is made afresh. Any other container not healthy
   * in time gets one more {@code up}.
   *
   * @return what was done, in words
   */
  public String makeHealthy(Path targetsFile) {
    Sandbox.UpResult up;
    String home = homeAgain();
    String rebuilt = "";
    String lost = replicaLost();
    if (lost != null) {
      removeTheReplica();
      rebuilt = "replica rebuilt from the primary (" + lost + "); ";
    }
    try {
      up = sandbox.up(Sandbox.UpOptions.keepDataset(targetsFile));
    } catch (io.drctl.sandbox.SandboxException e) {
      String why = e.getMessage().lines().findFirst().orElse("");
      if (why.contains(layout().container(Role.REPLICA))) {
        if (promoted(Role.REPLICA)) {
          throw new DrillException(
              "pg-replica is the primary since a replica promotion, and the drill has no switchover"
                  + " back to run another scenario from the usual roles; run replica_promotion last,"
                  + " or drctl sandbox reset for a fresh start ("
                  + why
                  + ")");
        }
        removeTheReplica();
        rebuilt = "replica rebuilt from the primary (" + why + "); ";
      } else if (why.contains(layout().container(Role.STAGING))) {
        // Scratch space for point-in-time recoveries: a recovery that failed there leaves a data
        // directory that cannot start, and nothing in it is kept.
        engine
            .find(layout().container(Role.STAGING))
            .ifPresent(found -> engine.remove(found.getId()));
        engine.removeVolume(layout().stagingVolume());
        rebuilt = "staging made afresh (" + why + "); ";
      } else {
        // A health check that ran out of time on a loaded machine: up keeps what is healthy.
        rebuilt = "up once more (" + why + "); ";
      }
      up = sandbox.up(Sandbox.UpOptions.keepDataset(targetsFile));
    }
    List<String> repaired =
        up.actions().entrySet().stream()
            .filter(action -> !action.getValue().startsWith("kept"))
            .map(action -> action.getKey().target() + " " + action.getValue())
            .toList();
    String redisBack = "";
    if (redis.makeMaster(Role.REDIS)) {
      // The replica took over in an earlier scenario; the later ones start from the usual roles.
      registry(
          "/records/redis",
          "{\"name\": \"redis.thebot.internal\", \"host\": \"127.0.0.1\", \"port\": "
              + layout().port(Role.REDIS)
              + ", \"incident\": \"drill\"}");
      redisBack = "Redis master moved back to " + Role.REDIS.target() + "; ";
    }
    if (!home.isEmpty() || !redisBack.isEmpty()) {
      restartTheApplication();
    }
    return home
        + redisBack
        + rebuilt
        + (repaired.isEmpty()
            ? "healthy, every container kept"
            : "repaired: " + String.join(", ", repaired));
  }

  /** Whether {@code role}'s server answers and is no standby (a promotion made it a primary). */
  private boolean promoted(Role role) {
    try (Connection connection = database(layout().port(role));
        java.sql.Statement statement = connection.createStatement();
        java.sql.ResultSet recovering = statement.executeQuery("select pg_is_in_recovery()")) {
      return recovering.next() && !recovering.getBoolean(1);
    } catch (SQLException e) {
      return false;
    }
  }

  private void removeTheReplica() {
    engine.find(layout().container(Role.REPLICA)).ifPresent(found -> engine.remove(found.getId()));
    engine.removeVolume(layout().replicaVolume());
  }

  /**
   * Why the replica can no longer follow the primary, or null when it may: the primary is another
   * database system (re-initialised, then restored) or on a new timeline (recovered to a point in
   * time) that the replica, already past the switch, does not stream. Asked up front, since {@code
   * up} would wait a minute for the streaming to say the same. Null too when either server does not
   * answer, or when the replica is no standby any more (a promotion made it the primary): {@code
   * up} deals with those.
   */
  private String replicaLost() {
    String primarySql =
        "select (select system_identifier::text from pg_control_system()),"
            + " (select timeline_id from pg_control_checkpoint()),"
            + " (select count(*) from pg_stat_replication)";
    try (Connection primary = database(layout().port(Role.PRIMARY));
        Connection replica = database(layout().port(Role.REPLICA));
        java.sql.Statement onPrimary = primary.createStatement();
        java.sql.Statement onReplica = replica.createStatement();
        java.sql.ResultSet p = onPrimary.executeQuery(primarySql);
        java.sql.ResultSet r =
            onReplica.executeQuery(
                "select (select system_identifier::text from pg_control_system()),"
                    + " (select coalesce(max(received_tli), 0) from pg_stat_wal_receiver),"
                    + " pg_is_in_recovery()")) {
      p.next();
      r.next();
      if (!r.getBoolean(3)) {
        return null; // promoted: it may hold the newest data, never to be thrown away here
      }
      if (!p.getString(1).equals(r.getString(1))) {
        return "the primary is another database system now";
      }
      if (p.getLong(3) == 0 && r.getLong(2) != p.getLong(2)) {
        return "the primary is on timeline " + p.getLong(2) + ", the replica does not stream it";
      }
      return null;
    } catch (SQLException e) {
      return null;
    }
  }

  /**
   * The zone switched back to the primary site where a fail-over left it on the secondary and no
   * fail-back followed (the fail-back failed, or was not run): the next scenario starts from the
   * primary. What was written on the secondary meanwhile stays there.
   *
   * @return what was done, in words, or empty
   */
  private String homeAgain() {
    if (health().databasePort() != layout().port(Role.PG_SECONDARY)) {
      return "";
    }
    registry(
        "/records/switch",
        "{\"zone\": \"thebot.io\", \"to\": \"primary\", \"incident\": \"drill\"}");
    return "zone switched back to the primary site (the application served from the secondary); ";
  }

  /** POSTs {@code body} to the sandbox's registry (the runbook's dns-webhook) at {@code path}. */
  private void registry(String path, String body) {
    try {
      HttpResponse<String> answer =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(layout().registryUrl() + path))
                  .timeout(Duration.ofSeconds(10))
                  .header("Authorization", "Bearer " + SandboxLayout.REGISTRY_TOKEN)
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (answer.statusCode() != 200) {
        throw new DrillException(
            "the registry refused POST "
                + path
                + ": HTTP "
                + answer.statusCode()
                + " "
                + answer.body());
      }
    } catch (IOException e) {
      throw new DrillException(
          "cannot POST "
              + path
              + " to the registry at "
              + layout().registryUrl()
              + ": "
              + e.getMessage(),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DrillException("interrupted while posting " + path + " to the registry");
    }
  }

  /** The backend and the task worker restarted, to read the zone's records again. */
  private void restartTheApplication() {
    for (Role role : List.of(Role.BACKEND, Role.TASK_WORKER)) {
      docker.restartContainerCmd(layout().container(role)).withTimeout(10).exec();
    }
  }

  /**
   * The Redis server of the sandbox listening on {@code port}: the master, its replica, or the
   * secondary site's.
   */
  public Role redisAt(int port) {
    for (Role role : List.of(Role.REDIS, Role.REDIS_REPLICA, Role.REDIS_SECONDARY)) {
      if (layout().port(role) == port) {
        return role;
      }
    }
    return Role.REDIS;
  }

  /** SIGKILL to the container of {@code role}, as the OOM killer or a crash would. */
  public void kill(Role role) {
    engine.kill(layout().container(role));
  }

  /**
   * The backend's health answer: its status code and body, or status -1 when nothing answers. The
   * body names the database and Redis the backend uses.
   */
  public Health health() {
    try {
      HttpResponse<String> response =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(layout().healthUrl()))
                  .timeout(Duration.ofSeconds(5))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      JsonNode body;
      try {
        body = JSON.readTree(response.body());
      } catch (IOException e) {
        body = JSON.createObjectNode().put("unparsed", response.body());
      }
      return new Health(response.statusCode(), body);
    } catch (IOException e) {
      return new Health(-1, JSON.createObjectNode().put("error", String.valueOf(e.getMessage())));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Health(-1, JSON.createObjectNode().put("error", "interrupted"));
    }
  }

  /** The backend's health answer. */
  public record Health(int status, JsonNode body) {
    public boolean healthy() {
      return status == 200;
    }

    /** The database port the backend says it uses, or -1. */
    public int databasePort() {
      return body.path("database").path("port").asInt(-1);
    }

    /** The Redis port the backend says it uses, or -1. */
    public int redisPort() {
      return body.path("redis").path("port").asInt(-1);
    }
  }

  /**
   * A new connection to the application database on {@code port} (of the sandbox's PostgreSQL
   * servers).
   */
  public Connection database(int port) throws SQLException {
    return DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:"
            + port
            + "/"
            + SandboxLayout.DATABASE
            + "?connectTimeout=3&socketTimeout=10",
        SandboxLayout.USER,
        SandboxLayout.PASSWORD);
  }

  /**
   * The application database's port: the one the backend names when it answers, else the primary's.
   */
  public int databasePort() {
    int port = health().databasePort();
    return port > 0 ? port : layout().port(Role.PRIMARY);
  }

  /** The Redis port: the one the backend names when it answers, else the master's. */
  public int redisPort() {
    int port = health().redisPort();
    return port > 0 ? port : layout().port(Role.REDIS);
  }
}
