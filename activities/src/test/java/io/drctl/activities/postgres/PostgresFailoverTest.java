package io.drctl.activities.postgres;

import static io.drctl.activities.http.HttpTestSupport.applicationFailure;
import static io.drctl.activities.postgres.PostgresTestActivities.targets;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.activities.ActionFailures;
import io.temporal.failure.ApplicationFailure;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * promote with fencing and rejoin with pg_rewind, each test on its own real primary and streaming
 * replica.
 */
class PostgresFailoverTest {
  @RegisterExtension static final PostgresTestClusters clusters = new PostgresTestClusters();

  private PostgresTestActivities test;
  private PostgresActivities activities;
  private PostgresTestClusters.Pair pair;
  private Map<String, JsonNode> targets;

  @BeforeEach
  void start() {
    pair = clusters.freshPair("failover");
    pair.primary()
        .execute(
            "create table orders (id int primary key, note text)",
            "insert into orders select i, 'before' from generate_series(1, 100) i");
    awaitReplayed();
    test = new PostgresTestActivities(clusters);
    activities = test.activities;
    targets = targets("old", pair.primary(), "standby", pair.replica());
  }

  @AfterEach
  void stop() {
    test.close();
  }

  @Test
  void promoteFencesTheOldPrimaryReadOnlyThenPromotesTheStandbyToANewTimeline() {
    PostgresPromoteResult result =
        activities.promote(
            new PostgresPromoteInput(
                "standby", "old", "rejectConnections", null, null, null, targets));

    assertThat(result.promoted()).isTrue();
    assertThat(result.fenced()).isTrue();
    assertThat(result.timeline()).isEqualTo(2);
    assertThat(result.switchLsn()).matches("[0-9A-F]+/[0-9A-F]+");
    assertThat(result.port()).isEqualTo(pair.replica().port());
    assertThat(pair.replica().value("select pg_is_in_recovery()")).isEqualTo("f");
    pair.replica().execute("insert into orders values (101, 'after')");
    assertThatThrownBy(
            () -> pair.primary().execute("insert into orders values (102, 'split brain')"))
        .hasMessageContaining("read-only");
  }

  @Test
  void promotingAServerThatIsAlreadyPrimaryIsANoOp() {
    activities.promote(
        new PostgresPromoteInput("standby", "old", "rejectConnections", null, null, null, targets));

    PostgresPromoteResult again =
        activities.promote(
            new PostgresPromoteInput(
                "standby", "old", "rejectConnections", null, null, null, targets));

    assertThat(again.promoted()).isFalse();
    assertThat(again.timeline()).isEqualTo(2);
  }

  @Test
  void promoteRefusesWhenFencingCannotStopAPrimaryThatStillAcceptsWrites() {
    // stopContainer on a target without a container cannot fence it: the old primary still takes
    // writes.
    ApplicationFailure failure =
        applicationFailure(
            () ->
                activities.promote(
                    new PostgresPromoteInput(
                        "standby", "old", "stopContainer", null, null, null, targets)));

    assertThat(failure.getType()).isEqualTo(PostgresFailures.PRIMARY_STILL_ALIVE);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(pair.replica().value("select pg_is_in_recovery()")).isEqualTo("t");
  }

  @Test
  void promoteWithoutFenceNeedsForce() {
    ApplicationFailure failure =
        applicationFailure(
            () ->
                activities.promote(
                    new PostgresPromoteInput("standby", null, null, null, null, null, targets)));

    assertThat(failure.getType()).isEqualTo(ActionFailures.INVALID_INPUT);
    assertThat(pair.replica().value("select pg_is_in_recovery()")).isEqualTo("t");
  }

  @Test
  void promoteRefusesALaggingStandbyBeforeFencingAnything() {
    pair.replica().execute("alter system set primary_conninfo = ''", "select pg_reload_conf()");
    awaitNoReceiver();
    pair.primary()
        .execute("insert into orders select i, 'unreplicated' from generate_series(1000, 3000) i");

    ApplicationFailure failure =
        applicationFailure(
            () ->
                activities.promote(
                    new PostgresPromoteInput(
                        "standby", "old", "rejectConnections", null, 0L, null, targets)));

    assertThat(failure.getType()).isEqualTo(PostgresFailures.REPLICA_LAGGING);
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(pair.primary().value("show default_transaction_read_only")).isEqualTo("off");
    assertThat(pair.replica().value("select pg_is_in_recovery()")).isEqualTo("t");
  }

  @Test
  void rejoinRewindsTheOldPrimaryIntoAStandbyAndDiscardsItsWritesAfterTheSplit() {
    activities.promote(new PostgresPromoteInput("standby", null, null, true, null, null, targets));
    pair.primary().execute("insert into orders values (500, 'lost on the old primary')");
    pair.replica().execute("insert into orders values (600, 'kept on the new primary')");

    PostgresRejoinResult result =
        activities.rejoin(
            new PostgresRejoinInput("old", "standby", null, false, null, "1m", targets));

    assertThat(result.method()).isEqualTo("rewind");
    assertThat(result.streaming()).isTrue();
    assertThat(result.timeline()).isEqualTo(2);
    assertThat(result.divergedAt()).matches("[0-9A-F]+/[0-9A-F]+");
    assertThat(result.dataLossMeasured()).as(result.dataLossNote()).isTrue();
    assertThat(result.lostTransactions()).isEqualTo(1);
    assertThat(result.lostBytes()).isPositive();
    assertThat(result.lastLostCommitAt()).isEqualTo(result.firstLostCommitAt()).isNotEmpty();
    assertThat(pair.primary().value("select pg_is_in_recovery()")).isEqualTo("t");
    pair.replica().execute("insert into orders values (601, 'streamed to the rejoined standby')");
    awaitRow(pair.primary(), 601);
    assertThat(pair.primary().column("select id from orders where id >= 500 order by id"))
        .containsExactly("600", "601");

    PostgresRejoinResult again =
        activities.rejoin(
            new PostgresRejoinInput("old", "standby", null, false, null, "1m", targets));
    assertThat(again.method()).isEqualTo("none");
    assertThat(again.dataLossMeasured()).isFalse();
    assertThat(again.streaming()).isTrue();
  }

  @Test
  void rejoinWithASlotFollowsThroughThatSlotOnTheNewPrimary() {
    activities.promote(
        new PostgresPromoteInput("standby", "old", "rejectConnections", null, null, null, targets));

    PostgresRejoinResult result =
        activities.rejoin(
            new PostgresRejoinInput(
                "old", "standby", "reclone", null, "old_primary", "1m", targets));

    assertThat(result.method()).isEqualTo("reclone");
    assertThat(result.streaming()).isTrue();
    assertThat(
            pair.replica()
                .value("select active from pg_replication_slots where slot_name = 'old_primary'"))
        .isEqualTo("t");
    assertThat(pair.primary().value("select count(*) from orders")).isEqualTo("100");
  }

  @Test
  void rejoinToAStandbyThatWasNotPromotedIsARetryableSourceUnavailable() {
    ApplicationFailure failure =
        applicationFailure(
            () ->
                activities.rejoin(
                    new PostgresRejoinInput("old", "standby", null, null, null, "10s", targets)));

    assertThat(failure.getType()).isEqualTo(PostgresFailures.SOURCE_UNAVAILABLE);
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(pair.primary().value("select pg_is_in_recovery()")).isEqualTo("f");
  }

  private void awaitReplayed() {
    String position = pair.primary().value("select pg_current_wal_lsn()");
    await(
        () ->
            "t"
                .equals(
                    pair.replica().value("select pg_last_wal_replay_lsn() >= '" + position + "'")),
        "the replica to replay " + position);
  }

  private void awaitNoReceiver() {
    await(
        () -> "0".equals(pair.replica().value("select count(*) from pg_stat_wal_receiver")),
        "the replica's WAL receiver to stop");
  }

  private static void awaitRow(TestCluster cluster, int id) {
    await(
        () -> "1".equals(cluster.value("select count(*) from orders where id = " + id)),
        "row " + id + " on " + cluster);
  }

  private static void await(java.util.function.BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
