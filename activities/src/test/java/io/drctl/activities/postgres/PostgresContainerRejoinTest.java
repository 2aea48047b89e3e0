package io.drctl.activities.postgres;

import static io.drctl.activities.http.HttpTestSupport.applicationFailure;
import static io.drctl.activities.postgres.ContainerServer.docker;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Rejoin of a former primary that runs in a container ({@link RejoinContainer}), to its replica
 * container promoted: pg_rewind, pg_basebackup and pg_waldump run in one-off siblings of the old
 * primary's container. Each test has its own pair, removed after it.
 */
class PostgresContainerRejoinTest {
  @RegisterExtension static final PostgresTestClusters clusters = new PostgresTestClusters();
  private static final String ONE_OFF_LABEL = "io.drctl.oneoff";

  private RejoinContainer old;
  private RejoinContainer replica;
  private Map<String, JsonNode> targets;

  @BeforeEach
  void checkImage() {
    Assumptions.assumeTrue(ContainerServer.imageAvailable(), "no image " + ContainerServer.IMAGE);
  }

  @AfterEach
  void remove() {
    docker("ps", "-aq", "--filter", "label=" + ONE_OFF_LABEL)
        .output()
        .lines()
        .filter(id -> !id.isBlank())
        .forEach(id -> docker("rm", "-f", id));
    Stream.of(replica, old).filter(server -> server != null).forEach(RejoinContainer::remove);
  }

  private void pair(boolean walLogHints) throws Exception {
    old = RejoinContainer.primary(clusters.password(), walLogHints);
    old.execute(
        "create table orders (id int primary key, note text)",
        "insert into orders select i, 'before' from generate_series(1, 20) i");
    replica = RejoinContainer.replicaOf(old, clusters.password());
    old.execute(
        "insert into orders values (21, 'streamed')", "insert into orders values (22, 'streamed')");
    replica.await("select count(*) from orders", "22");
    targets = Map.of("old", old.target(), "new", replica.target());
  }

  /** Promotes the replica while the old primary keeps running: a split brain until the rejoin. */
  private void promoteWithoutFencing() {
    try (PostgresTestActivities test = new PostgresTestActivities(clusters)) {
      test.activities.promote(
          new PostgresPromoteInput("new", null, null, true, null, null, targets));
    }
  }

  private PostgresRejoinResult rejoin(String method, boolean fallbackToReclone) {
    try (PostgresTestActivities test = new PostgresTestActivities(clusters)) {
      return test.activities.rejoin(
          new PostgresRejoinInput("old", "new", method, fallbackToReclone, null, "1m", targets));
    }
  }

  @Test
  void
      anOldPrimaryInAContainerIsRewoundAndStreamsFromTheNewPrimaryWithNothingLostAfterACleanFailover()
          throws Exception {
    pair(true);
    promoteWithoutFencing();

    PostgresRejoinResult result = rejoin(null, false);

    assertThat(result.method()).isEqualTo("rewind");
    assertThat(result.streaming()).isTrue();
    assertThat(result.timeline())
        .isEqualTo(
            Integer.parseInt(replica.query("select timeline_id from pg_control_checkpoint()")))
        .isEqualTo(2);
    assertThat(old.running()).isTrue();
    assertThat(old.query("select pg_is_in_recovery()")).isEqualTo("t");
    assertThat(result.dataLossMeasured()).as(result.dataLossNote()).isTrue();
    assertThat(result.lostTransactions()).isZero();
    assertThat(result.dataLossSeconds()).isZero();
    assertThat(result.firstLostCommitAt()).isEmpty();
    assertThat(result.switchLsn()).matches("[0-9A-F]+/[0-9A-F]+");
    replica.execute("insert into orders values (100, 'written on the new primary')");
    old.await("select count(*) from orders where id = 100", "1");
    assertThat(docker("ps", "-aq", "--filter", "label=" + ONE_OFF_LABEL).output()).isBlank();

    PostgresRejoinResult again = rejoin(null, false);
    assertThat(again.method()).isEqualTo("none");
    assertThat(again.dataLossMeasured()).isFalse();
    assertThat(again.dataLossNote()).contains("already streams");
  }

  @Test
  void writesOnTheOldPrimaryAfterTheSplitAreReportedLostAndAreGoneAfterTheRejoin()
      throws Exception {
    pair(true);
    promoteWithoutFencing();
    Instant beforeLostWrites = Instant.now().minusSeconds(1);
    for (int id = 500; id < 525; id++) {
      old.execute("insert into orders values (" + id + ", 'lost on the old primary')");
    }
    Instant afterLostWrites = Instant.now().plusSeconds(1);
    replica.execute("insert into orders values (600, 'kept on the new primary')");

    PostgresRejoinResult result = rejoin(null, false);

    assertThat(result.method()).isEqualTo("rewind");
    assertThat(result.dataLossMeasured()).as(result.dataLossNote()).isTrue();
    assertThat(result.lostTransactions()).isEqualTo(25);
    assertThat(result.dataLossNote()).isEmpty();
    assertThat(result.lostBytes()).isPositive();
    assertThat(Instant.parse(result.firstLostCommitAt()))
        .isBetween(beforeLostWrites, afterLostWrites);
    assertThat(Instant.parse(result.lastLostCommitAt()))
        .isBetween(Instant.parse(result.firstLostCommitAt()), afterLostWrites);
    // From the last commit both have (row 22, before the promotion) to the last lost one.
    assertThat(result.dataLossSeconds())
        .isGreaterThan(
            java.time.Duration.between(
                        beforeLostWrites.plusSeconds(1), Instant.parse(result.lastLostCommitAt()))
                    .toMillis()
                / 1000.0)
        .isLessThan(120);
    old.await("select count(*) from orders where id >= 500", "1");
    assertThat(old.query("select string_agg(id::text, ',') from orders where id >= 500"))
        .isEqualTo("600");
    replica.execute("insert into orders values (601, 'streamed to the rejoined standby')");
    old.await("select count(*) from orders where id = 601", "1");
  }

  @Test
  void aLeftoverOneOffContainerOfACrashedAttemptIsRemovedBeforeTheRejoinRuns() throws Exception {
    pair(true);
    promoteWithoutFencing();
    // The rejoin below is the first activity of a fresh test environment: workflow
    // test-workflow-id, activity 1. A worker that crashed while its sibling ran left this one.
    String leftover = RejoinContainer.PREFIX + "leftover-" + old.port;
    docker(
            "run",
            "-d",
            "--name",
            leftover,
            "--label",
            ONE_OFF_LABEL + "=test-workflow-id/1",
            "--network",
            "host",
            "--volumes-from",
            old.name,
            "--entrypoint",
            "sleep",
            ContainerServer.IMAGE,
            "600")
        .check();

    PostgresRejoinResult result = rejoin(null, false);

    assertThat(result.streaming()).isTrue();
    assertThat(docker("inspect", leftover).exitCode()).isNotZero();
  }

  @Test
  void anUnrewindableOldPrimaryFailsWithoutThePasswordThenIsRecloned() throws Exception {
    pair(false);
    promoteWithoutFencing();
    old.execute("insert into orders values (700, 'lost')");

    ApplicationFailure failure = applicationFailure(() -> rejoin("rewind", false));

    assertThat(failure.getType()).isEqualTo(PostgresFailures.REWIND_IMPOSSIBLE);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .contains("wal_log_hints")
        .doesNotContain(clusters.password());
    assertThat(String.valueOf(failure.getDetails())).doesNotContain(clusters.password());
    assertThat(docker("ps", "-aq", "--filter", "label=" + ONE_OFF_LABEL).output()).isBlank();

    PostgresRejoinResult result = rejoin("rewind", true);

    assertThat(result.method()).isEqualTo("reclone");
    assertThat(result.streaming()).isTrue();
    assertThat(old.query("select count(*) from orders where id = 700")).isEqualTo("0");
    assertThat(asideCopies(old.volumeDirectory())).hasSize(1);
  }

  @Test
  void withItsWalGoneTheLossIsReportedAsNotMeasuredAndTheRejoinStillReclones() throws Exception {
    pair(true);
    promoteWithoutFencing();
    old.execute("insert into orders values (800, 'lost, and its WAL with it')");
    docker("stop", old.name).check();
    try (Stream<Path> segments = Files.list(old.volumeDirectory().resolve("pg_wal"))) {
      for (Path segment :
          segments.filter(path -> path.getFileName().toString().matches("[0-9A-F]{24}")).toList()) {
        Files.delete(segment);
      }
    }

    PostgresRejoinResult result = rejoin("rewind", true);

    assertThat(result.method()).isEqualTo("reclone");
    assertThat(result.streaming()).isTrue();
    assertThat(result.dataLossMeasured()).isFalse();
    assertThat(result.dataLossNote())
        .contains("pg_waldump found no WAL from the switch point")
        .contains("could not find");
    assertThat(result.lostTransactions()).isZero();
    assertThat(old.query("select count(*) from orders where id = 800")).isEqualTo("0");
  }

  /** The old contents that the reclone kept beside the volume's data directory. */
  private static List<Path> asideCopies(Path volumeData) throws IOException {
    try (Stream<Path> siblings = Files.list(volumeData.getParent())) {
      return siblings
          .filter(path -> path.getFileName().toString().contains(".pre-rejoin-"))
          .toList();
    }
  }
}
