package io.drctl.activities.postgres;

import static io.drctl.activities.http.HttpTestSupport.applicationFailure;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.activities.ActionFailures;
import io.temporal.failure.ApplicationFailure;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Failover away from a primary in a container ({@link ContainerServer}) to its host replica. Rejoin
 * of the containerised old primary is not supported yet (pg_rewind would need a sibling container
 * on the volume) and must refuse without touching it.
 */
class PostgresContainerRejoinTest {
  @RegisterExtension static final PostgresTestClusters clusters = new PostgresTestClusters();
  private static ContainerServer old;
  private static TestCluster replica;
  private static PostgresTestActivities test;
  private static Map<String, JsonNode> targets;

  @BeforeAll
  static void primaryInAContainerWithAHostReplica() throws Exception {
    Assumptions.assumeTrue(ContainerServer.imageAvailable(), "no image " + ContainerServer.IMAGE);
    old = ContainerServer.start(clusters.password());
    old.execute("create table orders (id int primary key, note text)");
    old.execute("insert into orders select i, 'before' from generate_series(1, 50) i");
    replica = clusters.freshReplicaOf(old.port, "container-replica");
    test = new PostgresTestActivities(clusters);
    targets = Map.of("old", old.target(), "new", replica.target());
  }

  @AfterAll
  static void remove() {
    if (test != null) {
      test.close();
    }
    if (old != null) {
      old.remove();
    }
  }

  @Test
  void rejoinOfAServerInAContainerIsRefusedBeforeAnythingIsStopped() throws Exception {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!"50".equals(replica.value("select count(*) from orders")) && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    test.activities.promote(new PostgresPromoteInput("new", null, null, true, null, null, targets));

    ApplicationFailure failure = applicationFailure(() -> test.activities.rejoin(
        new PostgresRejoinInput("old", "new", null, false, null, "1m", targets)));

    assertThat(failure.getType()).isEqualTo(ActionFailures.INVALID_INPUT);
    assertThat(failure.getOriginalMessage()).contains("runs in container");
    assertThat(old.running()).isTrue();
  }
}
