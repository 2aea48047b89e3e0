package io.drctl.runbook;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** A typed incident parameter. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record InputSpec(
    String type,
    String description,
    Boolean required,
    @JsonProperty("default") JsonNode defaultValue,
    @JsonProperty("enum") List<JsonNode> allowed,
    String pattern) {

  /** Whether the incident refuses to start without this input: required and no default. */
  public boolean mustBeGiven() {
    return Boolean.TRUE.equals(required) && defaultValue == null;
  }
}
