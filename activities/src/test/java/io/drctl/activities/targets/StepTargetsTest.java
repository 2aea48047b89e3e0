package io.drctl.activities.targets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.drctl.activities.ActionFailures;
import io.temporal.failure.ApplicationFailure;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StepTargetsTest {
  private static JsonNode json(String text) {
    try {
      return new ObjectMapper().readTree(text);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static ApplicationFailure failure(Map<String, JsonNode> targets, String name) {
    return catchThrowableOfType(
        ApplicationFailure.class, () -> StepTargets.of(targets).http("target", name));
  }

  @Test
  void httpTargetIsReadWithItsHeadersAsReferences() {
    HttpTarget target =
        StepTargets.of(
                Map.of(
                    "api",
                    json(
                        "{\"kind\": \"http\", \"url\": \"https://api.example/v1\", \"headers\":"
                            + " {\"Authorization\": \"env:TOKEN\"}, \"insecureSkipVerify\": true,"
                            + " \"description\": \"ignored\"}")))
            .http("target", "api");

    assertThat(target.name()).isEqualTo("api");
    assertThat(target.url().toString()).isEqualTo("https://api.example/v1");
    assertThat(target.headers()).containsExactly(Map.entry("Authorization", "env:TOKEN"));
    assertThat(target.insecureSkipVerify()).isTrue();
    assertThat(target.toString()).contains("headers=[Authorization]").doesNotContain("env:TOKEN");
  }

  @Test
  void unknownNameFailsNonRetryablyListingTheCarriedTargets() {
    ApplicationFailure failure = failure(Map.of("b", json("{}"), "a", json("{}")), "c");

    assertThat(failure.getType()).isEqualTo(StepTargets.UNKNOWN_TARGET);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .isEqualTo(
            "target names target 'c', but the step's $targets does not carry it (it has a, b)");
  }

  @Test
  void emptyNameIsInvalidInput() {
    assertThat(failure(Map.of(), " ").getType()).isEqualTo(ActionFailures.INVALID_INPUT);
  }

  @Test
  void malformedHttpTargetsAreInvalidInputNamingTheProblem() {
    Map<String, String> cases =
        Map.of(
            "{\"kind\": \"http\"}", "target 'x' has no url",
            "{\"kind\": \"http\", \"url\": \"ftp://h\"}",
                "target 'x' url must start with http:// or https://",
            "{\"kind\": \"http\", \"url\": \"http://u:p@h\"}",
                "target 'x' url must not contain credentials",
            "{\"kind\": \"http\", \"url\": \"http://h\", \"headers\": {\"A\": 1}}",
                "target 'x' header A must be a string",
            "{\"kind\": \"redis\", \"url\": \"http://h\"}",
                "target 'x' is a redis target, an http target is needed");
    cases.forEach(
        (target, message) -> {
          ApplicationFailure failure = failure(Map.of("x", json(target)), "x");

          assertThat(failure.getType()).as(target).isEqualTo(ActionFailures.INVALID_INPUT);
          assertThat(failure.getOriginalMessage()).as(target).startsWith(message);
        });
  }
}
