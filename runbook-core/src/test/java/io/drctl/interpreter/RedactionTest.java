package io.drctl.interpreter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RedactionTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode json(String text) throws Exception {
    return JSON.readTree(text.replace('\'', '"'));
  }

  @Test
  void secretNamedMembersAreMaskedAtAnyDepthAndOthersKept() throws Exception {
    JsonNode redacted =
        Redaction.redact(
            json(
                "{'user': 'alice', 'password': 'hunter22', 'nested': [{'apiKey': 'k-123', 'API_TOKEN': 'tok', 'port': 5432}],"
                    + " 'headers': {'Authorization': 'Bearer x'}, 'privateKey': null, 'secretAccessKey': {'value': 'v'}}"));
    assertThat(redacted.path("user").asText()).isEqualTo("alice");
    assertThat(redacted.path("password").asText()).isEqualTo(Redaction.MASK);
    assertThat(redacted.at("/nested/0/apiKey").asText()).isEqualTo(Redaction.MASK);
    assertThat(redacted.at("/nested/0/API_TOKEN").asText()).isEqualTo(Redaction.MASK);
    assertThat(redacted.at("/nested/0/port").asInt()).isEqualTo(5432);
    assertThat(redacted.at("/headers/Authorization").asText()).isEqualTo(Redaction.MASK);
    assertThat(redacted.path("privateKey").isNull())
        .as("a null secret stays null: nothing to hide")
        .isTrue();
    assertThat(redacted.path("secretAccessKey").asText()).isEqualTo(Redaction.MASK);
  }

  @Test
  void redactLeavesItsArgumentUntouched() throws Exception {
    JsonNode original = json("{'token': 'abcd'}");
    Redaction.redact(original);
    assertThat(original.path("token").asText()).isEqualTo("abcd");
  }

  @Test
  void namesAreMatchedByTheirSecretWordsWhateverTheCase() {
    assertThat(Redaction.isSecretName("PGPASSWORD")).isTrue();
    assertThat(Redaction.isSecretName("dbPasswd")).isTrue();
    assertThat(Redaction.isSecretName("api-key")).isTrue();
    assertThat(Redaction.isSecretName("Credentials")).isTrue();
    assertThat(Redaction.isSecretName("private_key")).isTrue();
    assertThat(Redaction.isSecretName("backupId")).isFalse();
    assertThat(Redaction.isSecretName("keyCount")).isFalse();
  }

  @Test
  void secretValuesAreCollectedFromSecretMembersOnlyAndShortOnesLeftOut() throws Exception {
    Set<String> values =
        Redaction.secretValues(
            json(
                "{'name': 'world', 'apiToken': 'canary-123', 'pin': {'password': 'abc'}, 'credentials': ['first-secret', 42],"
                    + " 'env': {'DB_PASSWORD': 'second-secret', 'LANG': 'C.UTF-8'}}"));
    assertThat(values).containsExactlyInAnyOrder("canary-123", "first-secret", "second-secret");
  }

  @Test
  void maskRemovesSecretValuesFromEveryTextAndMemberNameLongestFirst() throws Exception {
    JsonNode masked =
        Redaction.mask(
            json(
                "{'error': 'login with canary-123-long failed; canary-123 refused', 'list': ['x canary-123 y'],"
                    + " 'canary-123': 1, 'apiToken': 'canary-123', 'count': 3}"),
            Set.of("canary-123", "canary-123-long"));
    assertThat(masked.toString()).doesNotContain("canary-123");
    assertThat(masked.path("error").asText()).isEqualTo("login with **** failed; **** refused");
    assertThat(masked.at("/list/0").asText()).isEqualTo("x **** y");
    assertThat(masked.path("****").asInt()).isEqualTo(1);
    assertThat(masked.path("apiToken").asText()).isEqualTo(Redaction.MASK);
    assertThat(masked.path("count").asInt()).isEqualTo(3);
  }
}
