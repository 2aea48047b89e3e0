package io.drctl.activities.redis;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lettuce.core.RedisException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * redis.sentinelFailover and redis.replicaOf against real processes: one master, one replica and
 * three Sentinels (quorum 2), while a client keeps writing to the master and records every write
 * the master acknowledged. A lost write is one acknowledged that the new master does not have.
 */
class RedisSentinelFailoverTest {
  private static final long TIMEOUT_MILLIS = 30_000;
  private static final int WRITES_BEFORE = 300;

  @TempDir Path temp;

  @Test
  void failoverWithWritesPausedLosesNoAcknowledgedWriteAndTheOldMasterFollowsTheNewOne()
      throws Exception {
    Measured measured = failOver(true);

    assertThat(measured.result().oldMaster()).isEqualTo("127.0.0.1:" + measured.oldPort());
    assertThat(measured.result().newMaster()).isEqualTo("127.0.0.1:" + measured.newPort());
    assertThat(measured.acknowledged()).isGreaterThanOrEqualTo(WRITES_BEFORE);
    assertThat(measured.lost())
        .as("acknowledged writes the new master lacks, of " + measured.acknowledged())
        .isEmpty();
    assertThat(measured.result().writesPausedMillis()).isPositive();
    assertThat(measured.result().oldMasterLost()).isFalse();
    assertThat(measured.result().dataLossSeconds()).as("paused: nothing lost, measured").isZero();
    assertThat(measured.result().host()).isEqualTo("127.0.0.1");
    assertThat(measured.result().port()).isEqualTo(measured.newPort());
    assertThat(measured.oldMasterReplication())
        .contains("role:slave", "master_port:" + measured.newPort());
  }

  /**
   * The same failover without the pause: the old master keeps acknowledging writes that are then
   * lost.
   */
  @Test
  void failoverWithoutPausingLosesWritesTheOldMasterAcknowledgedAfterThePromotion()
      throws Exception {
    Measured measured = failOver(false);

    assertThat(measured.result().newMaster()).isEqualTo("127.0.0.1:" + measured.newPort());
    assertThat(measured.result().writesPausedMillis()).isZero();
    assertThat(measured.result().dataLossSeconds())
        .as("the old master acknowledges on: not measured")
        .isNull();
    assertThat(measured.lost())
        .as("acknowledged writes the new master lacks, of " + measured.acknowledged())
        .isNotEmpty();
  }

  /** What a failover under a steady stream of writes lost. */
  private record Measured(
      RedisSentinelFailoverResult result,
      int oldPort,
      int newPort,
      int acknowledged,
      List<String> lost,
      String oldMasterReplication) {}

  private Measured failOver(boolean pauseWrites) throws Exception {
    try (RedisTestActivities actions = new RedisTestActivities(temp.resolve("store"));
        Group group = Group.start(temp)) {
      RedisTestServer master = group.master();
      RedisTestServer replica = group.replica();
      Writer writer = new Writer(master);
      writer.start();
      writer.awaitAcknowledged(WRITES_BEFORE);
      Map<String, JsonNode> targets = actions.targets(master.target());
      targets.put("sentinel", group.sentinels().get(0).target());

      RedisSentinelFailoverResult result =
          actions.activities.sentinelFailover(
              new RedisSentinelFailoverInput(
                  "sentinel", "redis", "mymaster", pauseWrites, "20s", null, targets));
      // Until Sentinel (or the action) demotes the old master, it goes on acknowledging writes.
      awaitRole(master, "role:slave");
      writer.stopAndJoin();

      Set<String> kept = replica.keys(0);
      List<String> lost = writer.acknowledged.stream().filter(key -> !kept.contains(key)).toList();
      return new Measured(
          result,
          master.port(),
          replica.port(),
          writer.acknowledged.size(),
          lost,
          master.redis(redis -> redis.info("replication")));
    }
  }

  /**
   * The master is killed under writes that also set a heartbeat key: nothing can be paused, the
   * Sentinels fail it over (or the step makes them), and the data lost is measured from the newest
   * heartbeat the new master has to when the step found the master gone. That covers every
   * acknowledged write the new master lacks. A repeat finds the failover done.
   */
  @Test
  void aKilledMasterIsFailedOverAndTheHeartbeatMeasuresAtLeastTheAcknowledgedWritesLost()
      throws Exception {
    try (RedisTestActivities actions = new RedisTestActivities(temp.resolve("store"));
        Group group = Group.start(temp)) {
      RedisTestServer master = group.master();
      RedisTestServer replica = group.replica();
      Writer writer = new Writer(master, "heartbeat");
      writer.start();
      writer.awaitAcknowledged(WRITES_BEFORE);
      Map<String, JsonNode> targets = actions.targets(master.target());
      targets.put("sentinel", group.sentinels().get(0).target());

      long killedAt = System.currentTimeMillis();
      ProcessHandle.of(master.pid()).orElseThrow().destroyForcibly();
      // The writer's last command waits out its client's timeout: what it saw acknowledged stands.
      writer.running.set(false);
      RedisSentinelFailoverInput input =
          new RedisSentinelFailoverInput(
              "sentinel", "redis", "mymaster", true, "20s", "heartbeat", targets);
      RedisSentinelFailoverResult result = actions.activities.sentinelFailover(input);
      double sinceKill = (System.currentTimeMillis() - killedAt) / 1000.0;
      RedisSentinelFailoverResult again = actions.activities.sentinelFailover(input);

      Set<String> kept = replica.keys(0);
      List<Long> lostAt = new java.util.ArrayList<>();
      long lastKeptAt = 0;
      for (int i = 0; i < writer.acknowledged.size(); i++) {
        if (kept.contains(writer.acknowledged.get(i))) {
          lastKeptAt = writer.acknowledgedAt.get(i);
        } else {
          lostAt.add(writer.acknowledgedAt.get(i));
        }
      }
      double lostSpan =
          lostAt.isEmpty() ? 0 : (lostAt.get(lostAt.size() - 1) - lastKeptAt) / 1000.0;
      assertThat(result.oldMasterLost()).isTrue();
      assertThat(result.oldMaster()).isEqualTo("127.0.0.1:" + master.port());
      assertThat(result.newMaster()).isEqualTo("127.0.0.1:" + replica.port());
      assertThat(result.writesPausedMillis()).isZero();
      assertThat(result.dataLossSeconds())
          .as(
              "%d of %d acknowledged writes lost, spanning %.3f s",
              lostAt.size(), writer.acknowledged.size(), lostSpan)
          .isNotNull()
          .isGreaterThanOrEqualTo(lostSpan)
          .isLessThanOrEqualTo(sinceKill + 1);
      assertThat(again.newMaster())
          .as("a repeat fails over no further")
          .isEqualTo(result.newMaster());
      String replication = replica.redis(redis -> redis.info("replication"));
      assertThat(replication).contains("role:master");
    }
  }

  @Test
  void replicaOfSyncsTheTargetFromTheSourceAndNoOneMakesItAMasterAgain() {
    try (RedisTestActivities actions = new RedisTestActivities(temp.resolve("store"));
        RedisTestServer source = RedisTestServer.start(temp.resolve("source"), true);
        RedisTestServer target = RedisTestServer.start(temp.resolve("target"), true)) {
      RedisTestData.seed(source);
      target.redis(redis -> redis.set("only:on:target", "x"));
      Map<String, JsonNode> targets = actions.targets(target.target());
      targets.put("source", source.target());

      RedisReplicaOfResult following =
          actions.activities.replicaOf(new RedisReplicaOfInput("redis", "source", "30s", targets));
      RedisReplicaOfResult again =
          actions.activities.replicaOf(new RedisReplicaOfInput("redis", "source", "30s", targets));
      Set<String> synced = target.keys(0);
      RedisReplicaOfResult promoted =
          actions.activities.replicaOf(new RedisReplicaOfInput("redis", null, null, targets));

      assertThat(following.role()).isEqualTo("replica");
      assertThat(following.linkUp()).isTrue();
      assertThat(following.master()).isEqualTo("127.0.0.1:" + source.port());
      assertThat(again.linkUp()).isTrue();
      assertThat(synced).isEqualTo(source.keys(0)).doesNotContain("only:on:target");
      assertThat(promoted.role()).isEqualTo("master");
      String replication = target.redis(redis -> redis.info("replication"));
      assertThat(replication).contains("role:master");
    }
  }

  private static void awaitRole(RedisTestServer server, String role) throws InterruptedException {
    long deadline = System.currentTimeMillis() + TIMEOUT_MILLIS;
    while (!replication(server).contains(role)) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("the server on " + server.port() + " is not " + role);
      }
      Thread.sleep(50);
    }
  }

  /**
   * INFO replication, or empty when the connection was cut (Sentinel kills clients when it demotes
   * a master).
   */
  private static String replication(RedisTestServer server) {
    try {
      return server.redis(redis -> redis.info("replication"));
    } catch (RedisException cut) {
      return "";
    }
  }

  /** A master, its replica and three Sentinels (quorum 2) that know them and each other. */
  private record Group(
      RedisTestServer master, RedisTestServer replica, List<RedisTestServer> sentinels)
      implements AutoCloseable {
    static Group start(Path temp) throws InterruptedException {
      RedisTestServer master = RedisTestServer.start(temp.resolve("master"), true);
      RedisTestServer replica = RedisTestServer.replicaOf(temp.resolve("replica"), master);
      List<RedisTestServer> sentinels = new java.util.ArrayList<>();
      for (int i = 1; i <= 3; i++) {
        sentinels.add(RedisTestServer.sentinel(temp.resolve("sentinel" + i), master));
      }
      Group group = new Group(master, replica, sentinels);
      try {
        awaitSentinelsSee(sentinels);
      } catch (AssertionError | InterruptedException e) {
        group.close();
        throw e;
      }
      return group;
    }

    @Override
    public void close() {
      sentinels.forEach(RedisTestServer::close);
      replica.close();
      master.close();
    }
  }

  /** Waits until every Sentinel knows the replica and the two other Sentinels. */
  private static void awaitSentinelsSee(List<RedisTestServer> sentinels)
      throws InterruptedException {
    long deadline = System.currentTimeMillis() + TIMEOUT_MILLIS;
    for (RedisTestServer sentinel : sentinels) {
      while (!sees(sentinel)) {
        if (System.currentTimeMillis() > deadline) {
          throw new AssertionError(
              "Sentinel on " + sentinel.port() + " did not find the others:\n" + sentinel.log());
        }
        Thread.sleep(100);
      }
    }
  }

  private static boolean sees(RedisTestServer sentinel) {
    String masters = sentinel.redis(redis -> redis.info("sentinel"));
    return masters.contains("slaves=1") && masters.contains("sentinels=3");
  }

  /**
   * Writes {@code w:N} to the master until it refuses (READONLY once demoted, or gone) or is
   * stopped; with a heartbeat key, sets it to the time in epoch milliseconds before each write.
   */
  private static final class Writer extends Thread {
    private final RedisTestServer master;
    private final String heartbeatKey;
    private final AtomicBoolean running = new AtomicBoolean(true);
    final List<String> acknowledged = new CopyOnWriteArrayList<>();
    final List<Long> acknowledgedAt = new CopyOnWriteArrayList<>();

    Writer(RedisTestServer master) {
      this(master, null);
    }

    Writer(RedisTestServer master, String heartbeatKey) {
      this.master = master;
      this.heartbeatKey = heartbeatKey;
    }

    @Override
    public void run() {
      try {
        master.redis(
            redis -> {
              for (long n = 0; running.get(); n++) {
                try {
                  if (heartbeatKey != null) {
                    redis.set(heartbeatKey, String.valueOf(System.currentTimeMillis()));
                  }
                  redis.set("w:" + n, "v");
                } catch (RedisException refused) {
                  return null;
                }
                acknowledgedAt.add(System.currentTimeMillis());
                acknowledged.add("w:" + n);
              }
              return null;
            });
      } catch (RedisException gone) {
        // the master was killed: the writes acknowledged so far are what counts
      }
    }

    void awaitAcknowledged(int writes) throws InterruptedException {
      long deadline = System.currentTimeMillis() + TIMEOUT_MILLIS;
      while (acknowledged.size() < writes && System.currentTimeMillis() < deadline) {
        Thread.sleep(10);
      }
    }

    void stopAndJoin() throws InterruptedException {
      running.set(false);
      join(TIMEOUT_MILLIS);
    }
  }
}
