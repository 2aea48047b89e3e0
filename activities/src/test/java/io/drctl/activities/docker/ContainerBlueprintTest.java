package io.drctl.activities.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** How a recorded configuration becomes the body of a new container. Pure: no engine. */
class ContainerBlueprintTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ID = "0123456789abcdef0123456789abcdef";

  private static ContainerBlueprint blueprint(String networkMode) throws Exception {
    ObjectNode config =
        (ObjectNode)
            JSON.readTree(
                "{\"Hostname\": \"0123456789ab\", \"Image\": \"pg:15\","
                    + " \"Cmd\": [\"postgres\"], \"Env\": [\"PATH=/bin\", \"PGDATA=/data\"],"
                    + " \"Labels\": {\"maintainer\": \"pg\", \"app\": \"thebot\"}}");
    ObjectNode hostConfig =
        (ObjectNode)
            JSON.readTree(
                "{\"NetworkMode\": \""
                    + networkMode
                    + "\","
                    + " \"Binds\": [\"pgdata:/data\", \"/etc/pg:/etc/pg:ro\"],"
                    + " \"Mounts\": [{\"Type\": \"volume\", \"Source\": \"pgdata\", \"Target\": \"/extra\"}]}");
    ObjectNode networks =
        (ObjectNode)
            JSON.readTree(
                "{\"backend\": {\"Aliases\": [\"db\", \"0123456789ab\"], \"IPAMConfig\": null}}");
    return new ContainerBlueprint("pg", ID, "sha256:old", true, config, hostConfig, networks);
  }

  @Test
  void theSameImageKeepsTheConfigurationAndDropsTheGeneratedHostname() throws Exception {
    ObjectNode body = blueprint("host").body("pg:15", null);

    assertThat(body.has("Hostname")).isFalse();
    assertThat(body.path("Cmd").get(0).asText()).isEqualTo("postgres");
    assertThat(body.path("HostConfig").path("NetworkMode").asText()).isEqualTo("host");
    assertThat(body.has("NetworkingConfig")).as("host networking has no endpoints").isFalse();
  }

  @Test
  void aNewImageReplacesWhatTheOldImageHadSet() throws Exception {
    JsonNode oldImage =
        JSON.readTree(
            "{\"Cmd\": [\"postgres\"], \"Env\": [\"PATH=/bin\"],"
                + " \"Labels\": {\"maintainer\": \"pg\"}}");

    ObjectNode body = blueprint("host").body("pg:16", oldImage);

    assertThat(body.path("Image").asText()).isEqualTo("pg:16");
    assertThat(body.has("Cmd")).isFalse();
    assertThat(body.path("Env").toString()).isEqualTo("[\"PGDATA=/data\"]");
    assertThat(body.path("Labels").toString()).isEqualTo("{\"app\":\"thebot\"}");
  }

  @Test
  void aUserNetworkIsJoinedAtCreationWithItsAliasesButNotTheOldId() throws Exception {
    ObjectNode body = blueprint("backend").body("pg:15", null);

    assertThat(
            body.path("NetworkingConfig")
                .path("EndpointsConfig")
                .path("backend")
                .path("Aliases")
                .toString())
        .isEqualTo("[\"db\"]");
  }

  @Test
  void aVolumesAttachmentsCanBeTakenOutAndPutBack() throws Exception {
    ContainerBlueprint original = blueprint("host");
    ObjectNode attachments = original.attachments("pgdata");

    ContainerBlueprint without = original.withoutVolume("pgdata");
    ContainerBlueprint restored = without.withAttachments(attachments);

    assertThat(attachments.path("Binds").toString()).isEqualTo("[\"pgdata:/data\"]");
    assertThat(attachments.path("Mounts")).hasSize(1);
    assertThat(without.hostConfig().path("Binds").toString()).isEqualTo("[\"/etc/pg:/etc/pg:ro\"]");
    assertThat(without.hostConfig().path("Mounts")).isEmpty();
    assertThat(restored.hostConfig().path("Binds")).hasSize(2);
    assertThat(restored.hostConfig().path("Mounts")).hasSize(1);
    assertThat(original.toString()).doesNotContain("PGDATA");
  }
}
