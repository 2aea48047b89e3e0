package io.drctl.sandbox;

import static io.drctl.testing.Await.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.sentinel.api.StatefulRedisSentinelConnection;
import io.lettuce.core.sentinel.api.sync.RedisSentinelCommands;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Redis's replica and its three Sentinels in a real sandbox ({@code itest-redis}, ports
 * 29260-29279): the replica has what the master was given, the Sentinels agree on the master with
 * quorum 2, the backend keeps its heartbeat key fresh, and killing the master's container makes the
 * Sentinels promote the replica on their own. {@code up} afterwards brings the old master back as a
 * replica of the new one.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisSentinelSandboxTest {
  private static final SandboxLayout LAYOUT = SandboxLayout.of("itest-redis", 29260);

  @TempDir static Path dir;
  private SandboxEngine engine;
  private Sandbox sandbox;

  @BeforeAll
  void bringTheSandboxUp() {
    engine = SandboxEngine.fromEnvironment();
    sandbox =
        new Sandbox(engine, LAYOUT, SandboxImages.fromEnvironment(System.getenv()), line -> {});
    sandbox.down(); // what an aborted earlier run may have left
    sandbox.up(new Sandbox.UpOptions(1, dir.resolve("redis.targets.json")));
  }

  @AfterAll
  void takeItDown() {
    try {
      if (sandbox != null) {
        sandbox.down();
      }
    } finally {
      if (engine != null) {
        engine.close();
      }
    }
  }

  @Test
  @Order(1)
  void theReplicaHasWhatTheMasterIsGivenAndTheSentinelsAgreeOnTheMaster() throws Exception {
    String master = "127.0.0.1:" + LAYOUT.port(Role.REDIS);
    redis(Role.REDIS, commands -> commands.set("itest:written", "on the master"));
    awaitTrue(
        () ->
            "on the master"
                .equals(redis(Role.REDIS_REPLICA, commands -> commands.get("itest:written"))),
        Duration.ofSeconds(10),
        "the replica to have the master's write");

    RedisGroup.View view = new RedisGroup(LAYOUT).view();
    assertThat(view.masters())
        .containsOnlyKeys(Role.SENTINELS)
        .allSatisfy(
            (sentinel, named) -> assertThat(named).as(sentinel.toString()).isEqualTo(master));
    assertThat(view.otherSentinels())
        .allSatisfy((sentinel, others) -> assertThat(others).isEqualTo(2));
    assertThat(view.replication())
        .contains(
            "role:master",
            "connected_slaves:1",
            "port=" + LAYOUT.port(Role.REDIS_REPLICA) + ",state=online");
    for (Role sentinel : Role.SENTINELS) {
      assertThat(
              sentinel(
                  sentinel,
                  commands ->
                      commands.dispatch(
                          CommandType.SENTINEL,
                          new StatusOutput<>(StringCodec.UTF8),
                          new CommandArgs<>(StringCodec.UTF8)
                              .add("CKQUORUM")
                              .add(SandboxLayout.REDIS_MASTER_NAME))))
          .as("SENTINEL CKQUORUM on " + sentinel)
          .startsWith("OK 3 usable Sentinels");
    }
    long beat =
        Long.parseLong(
            redis(Role.REDIS, commands -> commands.get(SandboxLayout.REDIS_HEARTBEAT_KEY)));
    assertThat(System.currentTimeMillis() - beat)
        .as("the backend's heartbeat is fresh")
        .isBetween(-1000L, 2000L);
    assertThat(sandbox.status().services())
        .filteredOn(
            service ->
                service.role() == Role.REDIS_REPLICA || Role.SENTINELS.contains(service.role()))
        .hasSize(4)
        .allSatisfy(service -> assertThat(service.probeOk()).as(service.probe()).isTrue());
  }

  @Test
  @Order(2)
  void killingTheMasterMakesTheSentinelsPromoteTheReplicaAndUpMakesTheOldMasterItsReplica()
      throws Exception {
    String replica = "127.0.0.1:" + LAYOUT.port(Role.REDIS_REPLICA);
    engine.kill(LAYOUT.container(Role.REDIS));
    long killed = System.nanoTime();
    awaitTrue(
        () -> {
          RedisGroup.View view = new RedisGroup(LAYOUT).view();
          return view.sentinelsAgree() && view.masters().get(Role.SENTINEL_1).equals(replica);
        },
        Duration.ofSeconds(60),
        "the Sentinels to name the replica as master");
    double seconds = (System.nanoTime() - killed) / 1e9;
    assertThat(seconds).as("down-after 3 s, then the election").isLessThan(30);
    assertThat(redis(Role.REDIS_REPLICA, commands -> commands.info("replication")))
        .contains("role:master");
    assertThat(redis(Role.REDIS_REPLICA, commands -> commands.get("itest:written")))
        .isEqualTo("on the master");

    Sandbox.UpResult again =
        sandbox.up(Sandbox.UpOptions.keepDataset(dir.resolve("redis.targets.json")));
    assertThat(again.actions())
        .containsEntry(Role.REDIS, "recreated")
        .containsEntry(Role.REDIS_REPLICA, "kept");
    RedisGroup.View settled = new RedisGroup(LAYOUT).view();
    assertThat(settled.masters().values()).containsOnly(replica);
    assertThat(settled.replication()).contains("port=" + LAYOUT.port(Role.REDIS) + ",state=online");
    assertThat(redis(Role.REDIS, commands -> commands.info("replication")))
        .contains("role:slave", "master_port:" + LAYOUT.port(Role.REDIS_REPLICA));
    System.out.printf(
        "sentinels promoted the replica %.1f s after the master's container was killed%n", seconds);
  }

  private static String redis(Role role, Function<RedisCommands<String, String>, String> work) {
    return new RedisGroup(LAYOUT).redis(role, work);
  }

  private static String sentinel(
      Role role, Function<RedisSentinelCommands<String, String>, String> work) {
    RedisClient client =
        RedisClient.create(
            RedisURI.builder()
                .withHost("127.0.0.1")
                .withPort(LAYOUT.port(role))
                .withTimeout(Duration.ofSeconds(3))
                .build());
    try (StatefulRedisSentinelConnection<String, String> connection = client.connectSentinel()) {
      return work.apply(connection.sync());
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(3));
    }
  }
}
