package io.drctl.worker.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.drctl.workflow.IncidentWorkflows;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deploy/compose.yaml} as docker-compose resolves it: the five services, host networking, a
 * health URL each, and no secret but from the env file. {@code ComposeDeploymentIT} runs it.
 */
class ComposeFileTest {
  @Test
  void everyServiceUsesTheHostNetworkAndTakesSecretsOnlyFromTheEnvFile(@TempDir Path dir)
      throws Exception {
    Path noSecrets = Files.writeString(dir.resolve("secrets.env"), "");
    JsonNode compose = resolved(noSecrets);

    List<String> services = new ArrayList<>();
    compose
        .path("services")
        .fields()
        .forEachRemaining(
            entry -> {
              String service = entry.getKey();
              services.add(service);
              JsonNode definition = entry.getValue();
              assertThat(definition.path("network_mode").asText()).as(service).isEqualTo("host");
              definition
                  .path("environment")
                  .fieldNames()
                  .forEachRemaining(
                      name ->
                          assertThat(name)
                              .as("%s sets a secret in compose.yaml", service)
                              .doesNotMatch(KubernetesManifestsTest.SECRET_NAME));
              if (!service.equals("temporal")) {
                assertThat(definition.path("environment").path("DRCTL_HEALTH_URL").asText())
                    .as(service)
                    .startsWith("http://127.0.0.1:");
                assertThat(definition.path("image").asText())
                    .as(service)
                    .isEqualTo("local/drctl-worker:latest");
              }
            });
    assertThat(services)
        .containsExactlyInAnyOrder("temporal", "worker-1", "worker-2", "receiver", "codec-server");
    assertThat(Files.readString(DeployFiles.DEPLOY.resolve("compose.yaml")))
        .contains("env_file: ${DRCTL_SECRETS_FILE:-./secrets.env}");
  }

  @Test
  void theDevServerRegistersDrctlsSearchAttributes(@TempDir Path dir) throws Exception {
    JsonNode temporal =
        resolved(Files.writeString(dir.resolve("secrets.env"), ""))
            .path("services")
            .path("temporal");

    List<String> registered = new ArrayList<>();
    temporal
        .path("command")
        .forEach(
            argument -> {
              if (argument.asText().startsWith("--search-attribute=")) {
                registered.add(argument.asText().substring("--search-attribute=".length()));
              }
            });
    assertThat(registered)
        .containsExactlyInAnyOrderElementsOf(
            IncidentWorkflows.SEARCH_ATTRIBUTES.stream()
                .map(key -> key.getName() + "=Keyword")
                .toList());
  }

  /**
   * {@code docker-compose config}: the file with its anchors merged and variables at their
   * defaults.
   */
  private static JsonNode resolved(Path secrets) throws IOException, InterruptedException {
    ProcessBuilder builder =
        new ProcessBuilder(
            "docker-compose",
            "--file",
            DeployFiles.DEPLOY.resolve("compose.yaml").toString(),
            "--profile",
            "dev-server",
            "config");
    builder
        .environment()
        .keySet()
        .removeIf(name -> name.startsWith("DRCTL_") || name.startsWith("TEMPORAL_"));
    builder.environment().put("DRCTL_SECRETS_FILE", secrets.toString());
    Process process;
    try {
      process = builder.redirectError(ProcessBuilder.Redirect.DISCARD).start();
    } catch (IOException e) {
      throw new AssertionError("docker-compose is not installed: run 'bin/setup deploy'", e);
    }
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(out).isZero();
    return new YAMLMapper().readTree(out);
  }
}
