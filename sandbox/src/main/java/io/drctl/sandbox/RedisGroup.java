package io.drctl.sandbox;

import io.drctl.activities.redis.RedisClients;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.sentinel.api.StatefulRedisSentinelConnection;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The sandbox's Redis master, its replica and the three Sentinels seen from the host: which master
 * each Sentinel names, and whether the replica follows it. Each call opens and closes its own
 * connections.
 */
public final class RedisGroup {
  private static final Duration TIMEOUT = Duration.ofSeconds(3);

  /** The clients of every group in this JVM, on one set of event loops kept for its life. */
  private static final RedisClients CLIENTS = new RedisClients();

  private static final Duration WAIT = Duration.ofSeconds(60);

  private final SandboxLayout layout;

  public RedisGroup(SandboxLayout layout) {
    this.layout = layout;
  }

  /**
   * What the group looks like now.
   *
   * @param masters each Sentinel's answer to {@code SENTINEL GET-MASTER-ADDR-BY-NAME}, {@code
   *     host:port}, or the error it gave
   * @param otherSentinels how many other Sentinels each Sentinel knows of
   * @param replication {@code INFO replication} of the master the first Sentinel names, or the
   *     error
   */
  public record View(
      Map<Role, String> masters,
      Map<Role, Integer> otherSentinels,
      Map<Role, Integer> goodReplicas,
      String replication) {
    /** Every Sentinel names the same master and knows both others. */
    public boolean sentinelsAgree() {
      return masters.size() == Role.SENTINELS.size()
          && masters.values().stream().distinct().count() == 1
          && masters.values().iterator().next().matches("[0-9.]+:[0-9]+")
          && otherSentinels.values().stream().allMatch(count -> count == Role.SENTINELS.size() - 1);
    }

    /**
     * Every Sentinel knows a replica it could promote: one it reaches, flagged plain {@code slave}
     * (not down or disconnected), with its link to the master up. Right after a Sentinel or the
     * replica was started, the master's INFO already shows the replica online while the Sentinels
     * have not asked it yet, and a failover then finds NOGOODSLAVE.
     */
    public boolean sentinelsKnowAReplica() {
      return goodReplicas.size() == Role.SENTINELS.size()
          && goodReplicas.values().stream().allMatch(count -> count > 0);
    }

    /** The master has a replica whose link is online. */
    public boolean replicaOnline() {
      return replication.contains("role:master")
          && replication.matches("(?s).*slave0:[^\\r\\n]*state=online.*");
    }
  }

  /** Reads each Sentinel and the master the first one names. */
  public View view() {
    Map<Role, String> masters = new TreeMap<>();
    Map<Role, Integer> others = new TreeMap<>();
    Map<Role, Integer> good = new TreeMap<>();
    for (Role sentinel : Role.SENTINELS) {
      RedisClient client =
          CLIENTS.create(
              RedisURI.builder()
                  .withHost("127.0.0.1")
                  .withPort(layout.port(sentinel))
                  .withTimeout(TIMEOUT)
                  .build());
      try (StatefulRedisSentinelConnection<String, String> connection = client.connectSentinel()) {
        SocketAddress address =
            connection.sync().getMasterAddrByName(SandboxLayout.REDIS_MASTER_NAME);
        masters.put(
            sentinel,
            address instanceof InetSocketAddress inet
                ? inet.getHostString() + ":" + inet.getPort()
                : "none");
        others.put(
            sentinel,
            Integer.parseInt(
                connection
                    .sync()
                    .master(SandboxLayout.REDIS_MASTER_NAME)
                    .getOrDefault("num-other-sentinels", "0")));
        good.put(
            sentinel,
            (int)
                connection.sync().replicas(SandboxLayout.REDIS_MASTER_NAME).stream()
                    .filter(
                        replica ->
                            "slave".equals(replica.get("flags"))
                                && "ok".equals(replica.get("master-link-status")))
                    .count());
      } catch (RedisException e) {
        masters.put(sentinel, "error: " + e.getMessage());
      } finally {
        RedisClients.shutdown(client);
      }
    }
    String first = masters.get(Role.SENTINEL_1);
    String replication =
        first.matches("[0-9.]+:[0-9]+")
            ? info(Integer.parseInt(first.substring(first.indexOf(':') + 1)), "replication")
            : "no master: " + first;
    return new View(masters, others, good, replication);
  }

  /**
   * Makes {@code role} the master again where a failover left the master elsewhere: once the group
   * settled (the Sentinels agree and {@code role} is an in-sync replica), the first Sentinel is
   * asked to fail over, and this waits until every Sentinel names {@code role} and it answers as
   * master.
   *
   * @return whether the master moved
   * @throws SandboxException when the group does not settle or the failover does not finish within
   *     a minute
   */
  public boolean makeMaster(Role role) {
    String wanted = "127.0.0.1:" + layout.port(role);
    View view = awaitReplicatingAndWatched();
    if (wanted.equals(view.masters().get(Role.SENTINEL_1))) {
      return false;
    }
    RedisClient client =
        CLIENTS.create(
            RedisURI.builder()
                .withHost("127.0.0.1")
                .withPort(layout.port(Role.SENTINEL_1))
                .withTimeout(TIMEOUT)
                .build());
    try (StatefulRedisSentinelConnection<String, String> connection = client.connectSentinel()) {
      connection.sync().failover(SandboxLayout.REDIS_MASTER_NAME);
    } finally {
      RedisClients.shutdown(client);
    }
    awaitView(
        settled ->
            settled.sentinelsAgree()
                && wanted.equals(settled.masters().get(Role.SENTINEL_1))
                && settled.replication().contains("role:master"),
        last ->
            "the failover back to "
                + role.target()
                + " did not finish: Sentinels name "
                + last.masters());
    return true;
  }

  /** {@code INFO section} of the Redis server on {@code port}, or the error it gave. */
  public String info(int port, String section) {
    try {
      return redis(port, commands -> commands.info(section));
    } catch (RedisException e) {
      return "error: " + e.getMessage();
    }
  }

  /**
   * Runs {@code work} on a new connection to a Redis role of the sandbox (the master or its
   * replica), authenticated with {@link SandboxLayout#REDIS_PASSWORD}, and closes it.
   *
   * @throws RedisException when the server cannot be reached or refuses a command
   */
  public <T> T redis(Role role, Function<RedisCommands<String, String>, T> work) {
    return redis(layout.port(role), work);
  }

  private static <T> T redis(int port, Function<RedisCommands<String, String>, T> work) {
    RedisClient client =
        CLIENTS.create(
            RedisURI.builder()
                .withHost("127.0.0.1")
                .withPort(port)
                .withPassword(SandboxLayout.REDIS_PASSWORD.toCharArray())
                .withTimeout(TIMEOUT)
                .build());
    client.setOptions(ClientOptions.builder().autoReconnect(false).build());
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      return work.apply(connection.sync());
    } finally {
      RedisClients.shutdown(client);
    }
  }

  /**
   * Waits until the Sentinels agree on the master, its replica is online, and every Sentinel knows
   * that replica as one it could promote.
   *
   * @throws SandboxException after a minute, with what each Sentinel said
   */
  public View awaitReplicatingAndWatched() {
    return awaitView(
        view -> view.sentinelsAgree() && view.replicaOnline() && view.sentinelsKnowAReplica(),
        view ->
            "did not settle: Sentinels name "
                + view.masters()
                + ", know "
                + view.otherSentinels()
                + " other Sentinels and "
                + view.goodReplicas()
                + " replicas they could promote; the master's replication: "
                + view.replication().strip().replace("\r\n", " "));
  }

  /**
   * Reads the {@link #view} every half second until {@code done} holds.
   *
   * @throws SandboxException after {@link #WAIT}, with {@code why} of the last view
   */
  private View awaitView(java.util.function.Predicate<View> done, Function<View, String> why) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      View view = view();
      if (done.test(view)) {
        return view;
      }
      if (System.nanoTime() > deadline) {
        throw new SandboxException(
            "Redis of sandbox "
                + layout.name()
                + " after "
                + WAIT.toSeconds()
                + " s: "
                + why.apply(view));
      }
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SandboxException(
            "interrupted while waiting for Redis of sandbox " + layout.name());
      }
    }
  }
}
