package io.drctl.compiler;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * What the checks of one incident found out for lint and plan building: constant conditions,
 * parameters with constant expressions folded, the steps some expression reads, the escalation's
 * folded parameters. Filled by {@link IncidentCompiler}; mutable while that incident compiles.
 */
final class IncidentFacts {
  final Map<StepNode, Boolean> constantConditions = new HashMap<>();
  final Map<StepNode, JsonNode> foldedWith = new HashMap<>();

  /** Ids of the steps that some expression reads; such a step never runs in the background. */
  Set<String> readSteps = Set.of();

  /** The escalation's folded parameters, once checked. */
  JsonNode escalationWith;
}
