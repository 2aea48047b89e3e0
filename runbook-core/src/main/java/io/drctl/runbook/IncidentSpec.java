package io.drctl.runbook;

import java.util.List;
import java.util.Map;

/** One incident as written in the runbook. */
public record IncidentSpec(
    String type,
    String title,
    String description,
    String severity,
    String scenario,
    String target,
    Objectives objectives,
    Map<String, InputSpec> inputs,
    OnExhausted onExhausted,
    EscalationSpec escalation,
    List<StepSpec> steps) {

  public Map<String, InputSpec> inputsOrEmpty() {
    return inputs == null ? Map.of() : inputs;
  }
}
