package io.drctl.activities.redis;

import io.drctl.activities.ActionFailures;
import io.drctl.activities.ActionInputs;
import io.drctl.activities.docker.DockerBackend;
import io.drctl.activities.docker.DockerInspectInput;
import io.drctl.activities.docker.DockerInspectResult;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.temporal.failure.ApplicationFailure;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * {@code redis.replicaOf} and {@code redis.sentinelFailover}: who replicates from whom. Waits poll
 * INFO replication (or Sentinel) with a heartbeat. Passwords reach Redis only over connections:
 * AUTH, and {@code CONFIG SET masterauth} for a replica's link to its master. A lost master's
 * container is inspected through the docker backend (when it ended).
 */
final class RedisReplication {
  private final RedisConnector connector;
  private final DockerBackend docker;

  RedisReplication(RedisConnector connector, DockerBackend docker) {
    this.connector = connector;
    this.docker = docker;
  }

  RedisReplicaOfResult replicaOf(RedisReplicaOfInput input) {
    ActionInputs.present("redis.replicaOf", input, "a target");
    RedisTarget target = RedisTarget.of(input.targets(), "target", input.target());
    Duration timeout = ActionInputs.duration("syncTimeout", input.syncTimeout());
    RedisHeartbeat heartbeat = RedisHeartbeat.of("redis.replicaOf", connector.options());
    if (input.source() == null) {
      connector.with(target, "REPLICAOF NO ONE", RedisCommands::replicaofNoOne);
      return new RedisReplicaOfResult("master", "", false, heartbeat.elapsedSeconds());
    }
    RedisTarget source = RedisTarget.of(input.targets(), "source", input.source());
    String password = connector.password(source);
    return connector.with(
        target,
        "REPLICAOF " + source.address(),
        redis -> {
          if (password != null) {
            redis.configSet("masterauth", password);
          }
          RedisInfo before = replication(redis);
          boolean following =
              "slave".equals(before.text("role"))
                  && source.host().equals(before.text("master_host"))
                  && source.port() == before.number("master_port");
          if (!following) {
            redis.replicaof(source.host(), source.port());
          }
          long deadline = System.nanoTime() + timeout.toNanos();
          long polls = 0;
          while (true) {
            RedisInfo info = replication(redis);
            if ("up".equals(info.text("master_link_status"))
                && !info.flag("master_sync_in_progress")) {
              return new RedisReplicaOfResult(
                  "replica", source.address(), true, heartbeat.elapsedSeconds());
            }
            if (System.nanoTime() > deadline) {
              throw ActionFailures.retryable(
                  RedisFailures.SYNC_FAILED,
                  target.describe()
                      + " did not finish syncing from "
                      + source.describe()
                      + " within "
                      + timeout
                      + " (master_link_status:"
                      + info.text("master_link_status")
                      + ")");
            }
            heartbeat.pause(
                connector.options().pollInterval(),
                "waiting for the link to " + source.address(),
                ++polls);
          }
        });
  }

  RedisSentinelFailoverResult sentinelFailover(RedisSentinelFailoverInput input) {
    ActionInputs.present("redis.sentinelFailover", input, "a sentinel and a target");
    RedisTarget sentinel = RedisTarget.of(input.targets(), "sentinel", input.sentinel());
    RedisTarget target = RedisTarget.of(input.targets(), "target", input.target());
    Duration timeout = ActionInputs.duration("timeout", input.timeout());
    String name = input.masterName();
    RedisHeartbeat heartbeat = RedisHeartbeat.of("redis.sentinelFailover", connector.options());
    RedisTarget named = master(sentinel, name, target);
    if (!connector.answers(target)) {
      return lostMaster(input, sentinel, target, named, timeout, heartbeat);
    }
    if (!named.address().equals(target.address())) {
      // An earlier attempt (or an operator) already failed over: nothing was paused this time.
      RedisTarget newMaster = awaitNewMaster(sentinel, name, target, target, timeout, heartbeat);
      return result(target, newMaster, 0, 0, heartbeat, false, null);
    }
    RedisTarget oldMaster = named;
    long lag = 0;
    long pausedAt = 0;
    long pausedMillis = 0;
    boolean failedOver = false;
    try {
      if (input.pauseWrites()) {
        heartbeat.beat("pausing writes on " + oldMaster.address(), 0);
        pausedAt = System.nanoTime();
        connector.with(
            oldMaster,
            "CLIENT PAUSE WRITE",
            redis ->
                redis.dispatch(
                    CommandType.CLIENT,
                    new StatusOutput<>(StringCodec.UTF8),
                    new CommandArgs<>(StringCodec.UTF8)
                        .add("PAUSE")
                        .add(timeout.toMillis())
                        .add("WRITE")));
        awaitReplicas(oldMaster, timeout, heartbeat);
      } else {
        lag =
            connector.with(oldMaster, "reading INFO replication", redis -> lag(replication(redis)));
      }
      heartbeat.beat("SENTINEL FAILOVER " + name, 0);
      failover(sentinel, name);
      RedisTarget newMaster = awaitNewMaster(sentinel, name, oldMaster, target, timeout, heartbeat);
      failedOver = true;
      if (input.pauseWrites()) {
        demote(oldMaster, newMaster, heartbeat);
      }
      if (input.pauseWrites()) {
        pausedMillis = (System.nanoTime() - pausedAt) / 1_000_000;
      }
      // Paused, every write the old master acknowledged reached the replicas: nothing lost. Not
      // paused, the old master goes on acknowledging writes until Sentinel demotes it: not
      // measured.
      return result(
          oldMaster,
          newMaster,
          lag,
          pausedMillis,
          heartbeat,
          false,
          input.pauseWrites() ? 0.0 : null);
    } finally {
      if (input.pauseWrites()) {
        unpause(oldMaster, failedOver, heartbeat);
      }
    }
  }

  /**
   * The failover of a master that answers no connection: nothing to pause. Sentinel may already
   * have failed it over (its quorum saw it down); otherwise SENTINEL FAILOVER forces it. The data
   * lost is measured from the heartbeat key when there is one.
   */
  private RedisSentinelFailoverResult lostMaster(
      RedisSentinelFailoverInput input,
      RedisTarget sentinel,
      RedisTarget target,
      RedisTarget named,
      Duration timeout,
      RedisHeartbeat heartbeat) {
    String name = input.masterName();
    Instant lostAt = lostAt(target, input);
    if (named.address().equals(target.address())) {
      heartbeat.beat(
          "SENTINEL FAILOVER " + name + " (" + target.address() + " does not answer)", 0);
      try {
        failover(sentinel, name);
      } catch (ApplicationFailure failure) {
        // The Sentinels' own failover of the master they saw down has begun: wait for it.
        if (failure.getOriginalMessage() == null
            || !failure.getOriginalMessage().contains("INPROG")) {
          throw failure;
        }
      }
    }
    RedisTarget newMaster = awaitNewMaster(sentinel, name, target, target, timeout, heartbeat);
    return result(
        target,
        newMaster,
        0,
        0,
        heartbeat,
        true,
        dataLoss(newMaster, input.heartbeatKey(), lostAt));
  }

  /**
   * When the lost master stopped acknowledging writes, at the latest: its container's FinishedAt
   * when its container exited, else now (it answers no connection, so it acknowledges nothing).
   */
  private Instant lostAt(RedisTarget target, RedisSentinelFailoverInput input) {
    Instant now = Instant.now();
    if (target.container() == null) {
      return now;
    }
    DockerInspectResult container =
        docker.inspect(new DockerInspectInput(target.name(), input.targets()));
    if (!container.exists() || container.running()) {
      return now;
    }
    try {
      Instant finished = Instant.parse(container.finishedAt());
      return finished.isAfter(now) ? now : finished;
    } catch (DateTimeParseException e) {
      return now;
    }
  }

  /**
   * Seconds from the newest heartbeat the new master has to {@code lostAt}: every write the old
   * master acknowledged before it wrote that heartbeat was replicated ahead of it. Null without a
   * heartbeat key, or when the new master holds no heartbeat in epoch milliseconds.
   */
  private Double dataLoss(RedisTarget newMaster, String heartbeatKey, Instant lostAt) {
    if (heartbeatKey == null) {
      return null;
    }
    String value =
        connector.with(newMaster, "GET " + heartbeatKey, redis -> redis.get(heartbeatKey));
    if (value == null || !value.strip().matches("[0-9]{1,19}")) {
      return null;
    }
    long millis = lostAt.toEpochMilli() - Long.parseLong(value.strip());
    return Math.max(0, millis) / 1000.0;
  }

  private static RedisSentinelFailoverResult result(
      RedisTarget oldMaster,
      RedisTarget newMaster,
      long lag,
      long pausedMillis,
      RedisHeartbeat heartbeat,
      boolean lost,
      Double dataLossSeconds) {
    return new RedisSentinelFailoverResult(
        oldMaster.address(),
        newMaster.address(),
        lag,
        pausedMillis,
        heartbeat.elapsedSeconds(),
        newMaster.host(),
        newMaster.port(),
        lost,
        dataLossSeconds);
  }

  /** The master Sentinel names for {@code name}, reached with {@code target}'s password. */
  private RedisTarget master(RedisTarget sentinel, String name, RedisTarget target) {
    SocketAddress address =
        connector.withSentinel(
            sentinel,
            "asking Sentinel for master " + name,
            commands -> commands.getMasterAddrByName(name));
    if (!(address instanceof InetSocketAddress inet)) {
      throw ActionFailures.invalidInput(sentinel.describe() + " monitors no master named " + name);
    }
    return target.at(inet.getHostString(), inet.getPort());
  }

  /** Waits until every online replica has the paused master's replication offset. */
  private void awaitReplicas(RedisTarget master, Duration timeout, RedisHeartbeat heartbeat) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long polls = 0;
    while (true) {
      RedisInfo info =
          connector.with(master, "reading INFO replication", RedisReplication::replication);
      long lag = lag(info);
      if (info.number("connected_slaves") > 0 && lag == 0) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw ActionFailures.retryable(
            RedisFailures.REPLICA_LAGGING,
            "the replicas of "
                + master.describe()
                + " are still "
                + lag
                + " bytes behind after "
                + timeout
                + " with writes paused ("
                + info.number("connected_slaves")
                + " connected)");
      }
      heartbeat.pause(
          connector.options().pollInterval(),
          "waiting for the replicas (" + lag + " bytes behind)",
          ++polls);
    }
  }

  /**
   * SENTINEL FAILOVER; Sentinel's refusals (NOGOODSLAVE, INPROG) are {@link
   * RedisFailures#FAILOVER_FAILED}.
   */
  private void failover(RedisTarget sentinel, String name) {
    try {
      connector.withSentinel(
          sentinel, "SENTINEL FAILOVER " + name, commands -> commands.failover(name));
    } catch (ApplicationFailure failure) {
      if (RedisFailures.COMMAND_FAILED.equals(failure.getType())) {
        throw ActionFailures.retryable(RedisFailures.FAILOVER_FAILED, failure.getOriginalMessage());
      }
      throw failure;
    }
  }

  private RedisTarget awaitNewMaster(
      RedisTarget sentinel,
      String name,
      RedisTarget oldMaster,
      RedisTarget target,
      Duration timeout,
      RedisHeartbeat heartbeat) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long polls = 0;
    while (true) {
      RedisTarget named = master(sentinel, name, target);
      if (!named.address().equals(oldMaster.address())
          && connector.answers(named)
          && "master"
              .equals(
                  connector.with(
                      named,
                      "reading INFO replication",
                      redis -> replication(redis).text("role")))) {
        return named;
      }
      if (System.nanoTime() > deadline) {
        throw ActionFailures.retryable(
            RedisFailures.FAILOVER_FAILED,
            "Sentinel "
                + sentinel.describe()
                + " still names "
                + named.address()
                + " as master "
                + name
                + " "
                + timeout
                + " after SENTINEL FAILOVER");
      }
      heartbeat.pause(
          connector.options().pollInterval(), "waiting for Sentinel to name a new master", ++polls);
    }
  }

  /**
   * REPLICAOF the new master on the old one while its writes are still paused: a write that waited
   * out the pause then fails with READONLY instead of landing on a master that Sentinel is about to
   * demote (and whose resync would discard it). Sentinel would do the same, later.
   */
  private void demote(RedisTarget oldMaster, RedisTarget newMaster, RedisHeartbeat heartbeat) {
    heartbeat.beat("making " + oldMaster.address() + " a replica of " + newMaster.address(), 0);
    String password = connector.password(newMaster);
    connector.with(
        oldMaster,
        "REPLICAOF " + newMaster.address(),
        redis -> {
          if (password != null) {
            redis.configSet("masterauth", password);
          }
          return redis.replicaof(newMaster.host(), newMaster.port());
        });
  }

  /**
   * CLIENT UNPAUSE on the old master. After a failover that succeeded, a failure here must not fail
   * the step (a retry would fail over again): the pause then ends by its own timeout, and the
   * heartbeat says so.
   */
  private void unpause(RedisTarget oldMaster, boolean failedOver, RedisHeartbeat heartbeat) {
    try {
      connector.with(
          oldMaster,
          "CLIENT UNPAUSE",
          redis ->
              redis.dispatch(
                  CommandType.CLIENT,
                  new StatusOutput<>(StringCodec.UTF8),
                  new CommandArgs<>(StringCodec.UTF8).add("UNPAUSE")));
    } catch (ApplicationFailure failure) {
      if (!failedOver) {
        throw failure;
      }
      heartbeat.beat(
          "CLIENT UNPAUSE on "
              + oldMaster.address()
              + " failed ("
              + failure.getOriginalMessage()
              + "): its writes stay paused until the pause times out",
          0);
    }
  }

  /**
   * Bytes the furthest online replica is behind ({@code slaveN:...,offset=N}); the master's offset
   * when none.
   */
  private static long lag(RedisInfo info) {
    long master = info.number("master_repl_offset");
    long furthest = master;
    for (int i = 0; i < info.number("connected_slaves"); i++) {
      for (String part : info.text("slave" + i).split(",")) {
        if (part.startsWith("offset=")) {
          furthest = Math.min(furthest, Long.parseLong(part.substring(7)));
        }
      }
    }
    return info.number("connected_slaves") == 0 ? master : master - furthest;
  }

  private static RedisInfo replication(RedisCommands<String, String> redis) {
    return RedisInfo.parse(redis.info("replication"));
  }
}
