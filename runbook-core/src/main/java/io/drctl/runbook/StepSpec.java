package io.drctl.runbook;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** One step as written in the runbook. Absent fields are null. */
public record StepSpec(
    String id,
    String title,
    String description,
    String action,
    @JsonProperty("with") ObjectNode with,
    List<String> needs,
    @JsonProperty("if") String condition,
    String timeout,
    String heartbeat,
    RetrySpec retry,
    List<String> onFailure,
    Boolean continueOnError,
    Boolean blocking,
    OnExhausted onExhausted,
    List<BranchSpec> branches) {

  /** One branch of a parallel step. */
  public record BranchSpec(String name, List<StepSpec> steps) {}
}
