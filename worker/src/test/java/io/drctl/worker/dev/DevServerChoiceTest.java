package io.drctl.worker.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drctl.worker.TemporalSetupException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which server {@code drctl dev} runs, decided from the environment alone. */
class DevServerChoiceTest {
  @TempDir Path dir;

  private final Map<String, String> env = new HashMap<>();

  private Path home() throws Exception {
    return Files.createDirectories(dir.resolve("home"));
  }

  private Path fakeCli(Path directory) throws Exception {
    Files.createDirectories(directory);
    Path cli = directory.resolve("temporal");
    Files.writeString(cli, "#!/bin/sh\nexit 0\n");
    Files.setPosixFilePermissions(cli, PosixFilePermissions.fromString("rwxr-xr-x"));
    return cli;
  }

  @Test
  void withNoCliOnPathAutoFallsBackToTheJavaTestServerAndSaysWhereItLooked() throws Exception {
    env.put("PATH", Files.createDirectories(dir.resolve("empty-bin")).toString());
    DevServer.Choice choice = DevServer.choose(DevServer.Kind.auto, env::get, home());
    assertThat(choice.kind()).isEqualTo(DevServer.Kind.test);
    assertThat(choice.cli()).isNull();
    assertThat(choice.reason())
        .contains("no Temporal CLI found")
        .contains("PATH")
        .contains(home().resolve(".cache/drctl/bin/temporal").toString());
  }

  @Test
  void aCliOnPathIsPreferred() throws Exception {
    Path cli = fakeCli(dir.resolve("bin"));
    env.put("PATH", dir.resolve("nothing-here") + ":" + dir.resolve("bin"));
    DevServer.Choice choice = DevServer.choose(DevServer.Kind.auto, env::get, home());
    assertThat(choice.kind()).isEqualTo(DevServer.Kind.cli);
    assertThat(choice.cli()).isEqualTo(cli);
  }

  @Test
  void drctlTemporalCliWinsOverPathAndTheCacheIsTheLastResort() throws Exception {
    fakeCli(dir.resolve("bin"));
    Path pinned = fakeCli(dir.resolve("pinned"));
    env.put("PATH", dir.resolve("bin").toString());
    env.put("DRCTL_TEMPORAL_CLI", pinned.toString());
    assertThat(DevServer.choose(DevServer.Kind.auto, env::get, home()).cli()).isEqualTo(pinned);

    env.clear();
    Path cached = fakeCli(dir.resolve("cache/bin"));
    env.put("DRCTL_CACHE", dir.resolve("cache").toString());
    assertThat(DevServer.choose(DevServer.Kind.cli, env::get, home()).cli()).isEqualTo(cached);
  }

  @Test
  void aNonExecutableFileIsNotACli() throws Exception {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Files.writeString(bin.resolve("temporal"), "not a program");
    env.put("PATH", bin.toString());
    assertThat(DevServer.choose(DevServer.Kind.auto, env::get, home()).kind())
        .isEqualTo(DevServer.Kind.test);
  }

  @Test
  void theHarnessFallbackAndServerTestChooseTheJavaTestServerEvenWithACli() throws Exception {
    fakeCli(dir.resolve("bin"));
    env.put("PATH", dir.resolve("bin").toString());
    assertThat(DevServer.choose(DevServer.Kind.test, env::get, home()).kind())
        .isEqualTo(DevServer.Kind.test);
    env.put("DRCTL_TEMPORAL", "test-server");
    DevServer.Choice choice = DevServer.choose(DevServer.Kind.auto, env::get, home());
    assertThat(choice.kind()).isEqualTo(DevServer.Kind.test);
    assertThat(choice.reason()).isEqualTo("DRCTL_TEMPORAL=test-server");
  }

  @Test
  void askingForTheCliWithoutOneFailsWithAHint() throws Exception {
    env.put("PATH", dir.toString());
    assertThatThrownBy(() -> DevServer.choose(DevServer.Kind.cli, env::get, home()))
        .isInstanceOf(TemporalSetupException.class)
        .hasMessageContaining("--server=cli: no Temporal CLI found")
        .hasMessageContaining("bin/setup temporal");
  }

  @Test
  void aNewStateFileRunsWithOnePartitionATaskQueueAndKeepsItAcrossRestarts() throws Exception {
    Path database = dir.resolve("temporal.db");
    assertThat(CliDevServer.onePartition(database)).isTrue();
    assertThat(dir.resolve(CliDevServer.ONE_PARTITION_MARKER)).exists();
    Files.writeString(database, "made by the server");
    assertThat(CliDevServer.onePartition(database)).as("the restart of that file").isTrue();
    DevServerOptions options =
        new DevServerOptions("127.0.0.1", 7233, 8233, dir, "default", Duration.ofSeconds(60));
    assertThat(String.join(" ", CliDevServer.arguments(options, database, true)))
        .contains(
            "--dynamic-config-value history.transferProcessorMaxPollRPS=1000",
            "--dynamic-config-value matching.numTaskqueueReadPartitions=1",
            "--dynamic-config-value matching.numTaskqueueWritePartitions=1");
    assertThat(String.join(" ", CliDevServer.arguments(options, database, false)))
        .contains("--dynamic-config-value history.transferProcessorMaxPollRPS=1000")
        .doesNotContain("Partitions");
  }

  @Test
  void aStateFileMadeWithoutTheMarkerKeepsTheStockPartitions() throws Exception {
    // made by an older drctl: its tasks may sit in partitions 1 to 3, which one read partition
    // would never read
    Path database = dir.resolve("temporal.db");
    Files.writeString(database, "made by the server with four partitions");
    assertThat(CliDevServer.onePartition(database)).isFalse();
    assertThat(dir.resolve(CliDevServer.ONE_PARTITION_MARKER)).doesNotExist();
  }

  @Test
  void theCliServerRegistersEverySearchAttributeAndKeepsItsStateInTheStateDir() {
    DevServerOptions options =
        new DevServerOptions("127.0.0.1", 7233, 8233, dir, "default", Duration.ofSeconds(60));
    assertThat(String.join(" ", CliDevServer.arguments(options, dir.resolve("temporal.db"), false)))
        .startsWith(
            "server start-dev --ip 127.0.0.1 --port 7233 --ui-port 8233 --db-filename "
                + dir.resolve("temporal.db"))
        .contains(
            "--search-attribute IncidentType=Keyword",
            "--search-attribute Severity=Keyword",
            "--search-attribute Target=Keyword",
            "--search-attribute RunbookVersion=Keyword",
            "--search-attribute RunbookHash=Keyword",
            "--search-attribute Outcome=Keyword")
        .endsWith(
            "--log-level warn --dynamic-config-value history.transferProcessorMaxPollRPS=1000");
  }

  @Test
  void aTakenPortIsReportedBeforeAnyServerStarts() throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      DevServerOptions options =
          new DevServerOptions(
              "127.0.0.1", taken.getLocalPort(), 0, dir, "default", Duration.ofSeconds(5));
      assertThatThrownBy(
              () ->
                  DevServer.start(
                      new DevServer.Choice(DevServer.Kind.test, null, "test"),
                      options,
                      launched -> {}))
          .isInstanceOf(TemporalSetupException.class)
          .hasMessageContaining(
              "--port "
                  + taken.getLocalPort()
                  + ": 127.0.0.1:"
                  + taken.getLocalPort()
                  + " is taken");
    }
  }
}
