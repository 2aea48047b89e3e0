package io.drctl.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.drctl.plan.Plan;
import io.drctl.runbook.TargetSpec;
import java.util.Map;
import java.util.TreeMap;

/**
 * What an action activity receives: its evaluated parameters plus, under {@code $targets}, the
 * runbook targets they name. Secrets in targets stay references, resolved inside the activity.
 */
public final class ActivityInputs {
  /** The reserved member that carries the named targets. */
  public static final String TARGETS = "$targets";

  private ActivityInputs() {}

  public static JsonNode of(JsonNode with, Plan plan) {
    ObjectNode input =
        with != null && with.isObject()
            ? ((ObjectNode) with).deepCopy()
            : JsonNodeFactory.instance.objectNode();
    Map<String, TargetSpec> named = new TreeMap<>();
    collect(with, plan.targets(), named);
    if (!named.isEmpty()) {
      ObjectNode targets = input.putObject(TARGETS);
      named.forEach((name, target) -> targets.set(name, target.properties()));
    }
    return input;
  }

  /** Any string value anywhere in the parameters that is the name of a target. */
  private static void collect(
      JsonNode value, Map<String, TargetSpec> targets, Map<String, TargetSpec> named) {
    if (value == null) {
      return;
    }
    if (value.isTextual() && targets.containsKey(value.asText())) {
      named.put(value.asText(), targets.get(value.asText()));
    }
    value.elements().forEachRemaining(child -> collect(child, targets, named));
  }
}
