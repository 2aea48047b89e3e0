package io.drctl.runbook;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/** One route of the runbook's {@code alerts} section, as written. */
public record AlertRouteSpec(
    String name,
    List<String> match,
    List<String> labels,
    String incident,
    String target,
    Map<String, JsonNode> inputs,
    String cooldown) {

  public List<String> labelsOrEmpty() {
    return labels == null ? List.of() : labels;
  }

  public Map<String, JsonNode> inputsOrEmpty() {
    return inputs == null ? Map.of() : inputs;
  }
}
