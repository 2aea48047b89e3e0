package io.drctl.worker.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** {@code deploy/k8s/}: every container has probes and limits, and no secret is written in. */
class KubernetesManifestsTest {
  private static final Path K8S = DeployFiles.DEPLOY.resolve("k8s");

  /** Variable names that hold secrets: these may only come from a Secret. */
  static final Pattern SECRET_NAME =
      Pattern.compile(".*(PASSWORD|TOKEN|SECRET|API_KEY|CODEC_KEYS|ROUTING_KEY|PRIVATE_KEY).*");

  @Test
  void everyContainerHasLivenessAndReadinessProbesAndLimits() {
    List<String> containers = new ArrayList<>();
    for (JsonNode deployment : objects("Deployment")) {
      for (JsonNode container :
          deployment.path("spec").path("template").path("spec").path("containers")) {
        String name =
            deployment.path("metadata").path("name").asText()
                + "/"
                + container.path("name").asText();
        containers.add(name);
        assertThat(container.path("livenessProbe").isObject())
            .as("%s livenessProbe", name)
            .isTrue();
        assertThat(container.path("readinessProbe").isObject())
            .as("%s readinessProbe", name)
            .isTrue();
        JsonNode limits = container.path("resources").path("limits");
        assertThat(limits.hasNonNull("cpu") && limits.hasNonNull("memory"))
            .as("%s cpu and memory limits", name)
            .isTrue();
        assertThat(container.path("resources").path("requests").hasNonNull("memory"))
            .as("%s memory request", name)
            .isTrue();
        assertThat(container.path("image").asText())
            .as(name)
            .matches("local/drctl-(worker|temporal):latest");
      }
    }
    assertThat(containers)
        .contains(
            "drctl-worker/worker", "drctl-receiver/receiver", "drctl-codec-server/codec-server");
  }

  @Test
  void secretsComeOnlyFromTheSecretObject() {
    assertThat(objects("Secret")).as("a Secret with data in the repository").isEmpty();
    int references = 0;
    for (JsonNode deployment : objects("Deployment")) {
      JsonNode podSpec = deployment.path("spec").path("template").path("spec");
      assertThat(podSpec.path("securityContext").path("runAsNonRoot").asBoolean())
          .as("runAsNonRoot")
          .isTrue();
      for (JsonNode container : podSpec.path("containers")) {
        for (JsonNode variable : container.path("env")) {
          String name = variable.path("name").asText();
          if (SECRET_NAME.matcher(name).matches()) {
            assertThat(variable.has("value"))
                .as("%s is written in %s", name, container.path("name").asText())
                .isFalse();
            assertThat(variable.path("valueFrom").path("secretKeyRef").path("name").asText())
                .isEqualTo("drctl-secrets");
            references++;
          }
        }
        for (JsonNode source : container.path("envFrom")) {
          references +=
              source.path("secretRef").path("name").asText().equals("drctl-secrets") ? 1 : 0;
        }
        for (JsonNode argument : container.path("args")) {
          String text = argument.asText();
          if (text.matches("--[a-z-]*(token|secret|password|api-key)[a-z-]*=.*")) {
            assertThat(text).as("a secret on the command line").matches("--[a-z-]+=(env|file):.+");
          }
        }
      }
    }
    assertThat(references).as("references to drctl-secrets").isGreaterThanOrEqualTo(3);
    for (JsonNode config : objects("ConfigMap")) {
      config
          .path("data")
          .fieldNames()
          .forEachRemaining(key -> assertThat(key).doesNotMatch(SECRET_NAME));
    }
  }

  @Test
  void kustomizationListsFilesThatExist() {
    JsonNode kustomization = DeployFiles.yaml(K8S.resolve("kustomization.yaml"));
    assertThat(kustomization.path("resources"))
        .isNotEmpty()
        .allSatisfy(resource -> assertThat(K8S.resolve(resource.asText())).isRegularFile());
  }

  private static List<JsonNode> objects(String kind) {
    try (Stream<Path> files = Files.list(K8S)) {
      return files
          .filter(file -> file.toString().endsWith(".yaml"))
          .sorted()
          .flatMap(file -> DeployFiles.yamlDocuments(file).stream())
          .filter(document -> kind.equals(document.path("kind").asText()))
          .toList();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
