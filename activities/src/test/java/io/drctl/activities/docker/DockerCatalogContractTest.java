package io.drctl.activities.docker;

import static io.drctl.activities.http.CatalogWire.action;
import static io.drctl.activities.http.CatalogWire.names;
import static io.drctl.activities.http.CatalogWire.onTheWire;
import static io.drctl.activities.http.CatalogWire.received;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.activities.ActionPackContract;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The docker records and activity types agree with {@code io/drctl/catalog/docker.json}. No engine
 * needed.
 */
class DockerCatalogContractTest extends ActionPackContract {
  DockerCatalogContractTest() {
    super("docker.", DockerActivitiesImpl.class, "{\"target\": \"db\"}");
  }

  private static final Map<String, JsonNode> TARGETS =
      DockerTestEngine.containerTarget("db", "pg", null);

  /** Each action with an input whose every optional field is set, and a result. */
  static Stream<Arguments> actions() {
    return Stream.of(
        Arguments.of(
            "docker.restart",
            new DockerRestartInput("db", "10s", true, "1m", "http://x/", 2, TARGETS),
            new DockerRestartResult(true, "healthy", 1, 0, "id", "2024-01-01T00:00:00Z", 1.5)),
        Arguments.of(
            "docker.recreate",
            new DockerRecreateInput("db", "img", "10s", true, "1m", TARGETS),
            new DockerRecreateResult("new", "old", "img", true, 2.5)),
        Arguments.of(
            "docker.stop",
            new DockerStopInput("db", "10s", TARGETS),
            new DockerStopResult(true, 0, "2024-01-01T00:00:00Z")),
        Arguments.of(
            "docker.start",
            new DockerStartInput("db", true, "1m", "http://x/", TARGETS),
            new DockerStartResult(false, true, "id", "2024-01-01T00:00:00Z")),
        Arguments.of(
            "docker.exec",
            new DockerExecInput(
                "db", List.of("true"), "in", Map.of("A", "b"), "u", "/", 0, 10, TARGETS),
            new DockerExecResult(0, "", "", false, 3)),
        Arguments.of(
            "docker.logs",
            new DockerLogsInput("db", 10, "1h", "x", 100, TARGETS),
            new DockerLogsResult(1, 1, "x\n")),
        Arguments.of(
            "docker.waitHealthy",
            new DockerWaitHealthyInput("db", "http", "http://x/", 200, "1s", "1m", TARGETS),
            new DockerWaitHealthyResult(true, "healthy", 2, 0.5)),
        Arguments.of(
            "docker.inspect",
            new DockerInspectInput("db", TARGETS),
            new DockerInspectResult(
                true,
                true,
                "running",
                "none",
                false,
                0,
                0,
                "t",
                "f",
                "img",
                "id",
                List.of(new DockerInspectResult.Mount("volume", "v", "/s", "/d")))),
        Arguments.of(
            "docker.removeVolume",
            new DockerRemoveVolumeInput("db", "v", true, TARGETS),
            new DockerRemoveVolumeResult("v", true, 10L, "id")),
        Arguments.of(
            "docker.copyInto",
            new DockerCopyIntoInput("db", "/a", "/b", "postgres", "0640", true, TARGETS),
            new DockerCopyIntoResult(1, 1)),
        Arguments.of(
            "docker.copyFrom",
            new DockerCopyFromInput("db", "/a", "/b", true, TARGETS),
            new DockerCopyFromResult(1, 1, "/b")),
        Arguments.of(
            "docker.snapshotVolume",
            new DockerSnapshotVolumeInput("db", "v", "s", true, true, "l", TARGETS),
            new DockerSnapshotVolumeResult("i/l-v", "v", "/s", 1, "2024-01-01T00:00:00Z", 0)));
  }

  @Test
  void limitsAreTheCatalogs() {
    JsonNode exec = action("docker.exec").params().path("properties");
    JsonNode logs = action("docker.logs").params().path("properties");
    JsonNode restart = action("docker.restart").params().path("properties");

    assertThat(DockerExecInput.MAX_OUTPUT_BYTES_LIMIT)
        .isEqualTo(exec.path("maxOutputBytes").path("maximum").asInt());
    assertThat(DockerLogsInput.MAX_OUTPUT_BYTES_LIMIT)
        .isEqualTo(logs.path("maxOutputBytes").path("maximum").asInt());
    assertThat(DockerLogsInput.TAIL_LIMIT).isEqualTo(logs.path("tail").path("maximum").asInt());
    assertThat(DockerRestartInput.MAX_ATTEMPTS_LIMIT)
        .isEqualTo(restart.path("maxAttempts").path("maximum").asInt());
  }

  @Test
  void theWorkflowsWithAndTargetsReachTheActivityWithUnknownFieldsIgnored() {
    DockerExecInput input =
        received(
            "{\"target\": \"pg-primary\", \"argv\": [\"psql\", \"-c\", \"select 1\"], \"addedLater\": 1,"
                + " \"env\": {\"PGPASSWORD\": \"env:PGPASSWORD\"}, \"stdin\": \"secret input\","
                + " \"$targets\": {\"pg-primary\": {\"kind\": \"postgres\", \"host\": \"db\", \"port\": 5432,"
                + " \"password\": \"env:PGPASSWORD\", \"container\": \"thebot-postgres\"}}}",
            DockerExecInput.class);

    assertThat(input.argv()).containsExactly("psql", "-c", "select 1");
    assertThat(input.targets().get("pg-primary").path("container").asText())
        .isEqualTo("thebot-postgres");
    assertThat(input.maxOutputBytes()).isEqualTo(65_536);
    assertThat(input.toString())
        .contains("env=[PGPASSWORD]", "stdin=12 chars", "$targets=[pg-primary]")
        .doesNotContain("env:PGPASSWORD")
        .doesNotContain("secret input");
  }

  @Test
  void unknownRemovedBytesIsLeftOutOfTheOutput() {
    assertThat(names(onTheWire(new DockerRemoveVolumeResult("v", false, null, ""))))
        .containsExactly("volume", "removed", "containerId");
  }
}
