package io.drctl.plan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import io.drctl.runbook.InputSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InputValuesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Map<String, InputSpec> specs() {
    Map<String, InputSpec> specs = new LinkedHashMap<>();
    specs.put("until", new InputSpec("timestamp", "recover to", true, null, null, null));
    specs.put(
        "from",
        new InputSpec(
            "string",
            "selector",
            null,
            TextNode.valueOf("latest"),
            List.of(TextNode.valueOf("latest"), TextNode.valueOf("weekly")),
            null));
    specs.put("jobs", new InputSpec("integer", "parallel jobs", null, null, null, null));
    specs.put("force", new InputSpec("boolean", "skip checks", null, null, null, null));
    specs.put("window", new InputSpec("duration", "lag", null, null, null, null));
    return specs;
  }

  private static JsonNode json(String text) throws Exception {
    return JSON.readTree(text);
  }

  @Test
  void appliesDefaultsAndConvertsTextFromTheCommandLine() throws Exception {
    InputValues.Result result =
        InputValues.resolve(
            specs(),
            json(
                "{\"until\": \"2025-12-27 14:30:00+01:00\", \"jobs\": \"4\", \"force\": \"true\", \"window\": \"90m\"}"));
    assertThat(result.errors()).isEmpty();
    assertThat(result.values().toString())
        .isEqualTo(
            "{\"until\":\"2025-12-27T13:30:00Z\",\"from\":\"latest\",\"jobs\":4,\"force\":true,\"window\":\"1h30m\"}");
  }

  @Test
  void reportsEveryProblemByInputName() throws Exception {
    InputValues.Result result =
        InputValues.resolve(
            specs(),
            json(
                "{\"from\": \"monthly\", \"jobs\": 2.5, \"colour\": \"red\", \"until\": \"2025-12-27 14:30\"}"));
    assertThat(result.errors())
        .containsExactlyInAnyOrder(
            "unknown input 'colour'; inputs: until, from, jobs, force, window",
            "input 'until': '2025-12-27 14:30' is not a timestamp with an offset, e.g. 2025-12-27T14:30:00+00:00",
            "input 'from': 'monthly' is not one of 'latest', 'weekly'",
            "input 'jobs': 2.5 is not an integer");
  }

  @Test
  void aMissingRequiredInputIsAnError() throws Exception {
    InputValues.Result result = InputValues.resolve(specs(), json("{}"));
    assertThat(result.errors()).containsExactly("input 'until' is required: recover to");
  }

  @Test
  void inputsThatAreNotAnObjectAreRejected() throws Exception {
    assertThat(InputValues.resolve(specs(), json("[1]")).errors())
        .containsExactly("inputs must be a JSON object of name: value, not array");
  }
}
