package io.drctl.worker.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.drctl.testing.JavaProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * drctl's connection options are the Temporal CLI's: the same flag names in {@code drctl worker
 * --help} and {@code drctl start --help} as in {@code temporal workflow start --help}, the same
 * environment variables, and the same environment-configuration file and profile, which both read.
 */
@Execution(ExecutionMode.CONCURRENT)
class ConnectionFlagsTest {
  /**
   * The connection flags both have (the CLI's codec, gRPC-metadata and inline-data flags drctl does
   * without).
   */
  private static final List<String> FLAGS =
      List.of(
          "--address",
          "--namespace",
          "-n,",
          "--api-key",
          "--tls-cert-path",
          "--tls-key-path",
          "--tls-ca-path",
          "--tls-server-name",
          "--profile",
          "--config-file",
          "--disable-config-file");

  private static final List<String> VARIABLES =
      List.of(
          "TEMPORAL_ADDRESS",
          "TEMPORAL_NAMESPACE",
          "TEMPORAL_API_KEY",
          "TEMPORAL_TLS)",
          "TEMPORAL_TLS_CLIENT_CERT_PATH",
          "TEMPORAL_TLS_CLIENT_KEY_PATH",
          "TEMPORAL_TLS_SERVER_CA_CERT_PATH",
          "TEMPORAL_TLS_SERVER_NAME",
          "TEMPORAL_PROFILE",
          "TEMPORAL_CONFIG_FILE");

  @TempDir Path dir;

  @Test
  @Execution(ExecutionMode.SAME_THREAD)
  void workerAndStartNameTheTemporalClisConnectionFlagsAndVariables() throws Exception {
    for (String command : List.of("worker", "start")) {
      String help = CliRun.of(command, "--help").out().replaceAll("\\s+", " ");
      assertThat(help)
          .as("drctl " + command + " --help")
          .contains(FLAGS)
          .contains(VARIABLES)
          .contains("--[no-]tls ");
    }
    String cli = System.getenv("DRCTL_TEMPORAL_CLI");
    assumeTrue(
        cli != null,
        "DRCTL_TEMPORAL_CLI is not set: the Temporal CLI's own help cannot be compared");
    String temporal =
        run(List.of(cli, "workflow", "start", "--help"), Map.of()).replaceAll("\\s+", " ");
    assertThat(temporal).as("temporal workflow start --help").contains(FLAGS).contains("--tls ");
  }

  @Test
  @Execution(ExecutionMode.SAME_THREAD)
  void bothReadTheSameProfileThroughTheSameVariables() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("temporal.toml"),
            """
        [profile.drill]
        address = "127.0.0.1:9"
        namespace = "drill-ns"
        """);
    Map<String, String> env =
        Map.of("TEMPORAL_CONFIG_FILE", file.toString(), "TEMPORAL_PROFILE", "drill");

    String drctl =
        run(
            JavaProcess.command(
                System.getProperty("java.class.path"), "io.drctl.worker.cli.Drctl", "list"),
            env);
    assertThat(drctl).contains("cannot reach Temporal at 127.0.0.1:9");

    String cli = System.getenv("DRCTL_TEMPORAL_CLI");
    assumeTrue(cli != null, "DRCTL_TEMPORAL_CLI is not set: the Temporal CLI cannot be compared");
    String temporal = run(List.of(cli, "workflow", "list", "--command-timeout", "3s"), env);
    assertThat(temporal).contains("127.0.0.1:9");
  }

  private static String run(List<String> command, Map<String, String> env)
      throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().keySet().removeIf(name -> name.startsWith("TEMPORAL_"));
    builder.environment().putAll(env);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
    return output;
  }
}
