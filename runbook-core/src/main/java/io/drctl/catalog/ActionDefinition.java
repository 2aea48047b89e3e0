package io.drctl.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * What an action is, as the compiler and the CLI see it: its parameters and output (JSON Schema),
 * and the facts that safety checks need. Immutable.
 *
 * @param name unique name, e.g. {@code postgres.restore}, or a built-in such as {@code approval}
 * @param kind activity, or the control step the workflow runs itself
 * @param params JSON Schema of the step's {@code with}; a property with {@code x-target} names a
 *     runbook target of that kind (or kinds)
 * @param output JSON Schema of the output later steps read as {@code steps.ID.output}
 * @param destructive can lose data or availability; the lint wants an approval or a guard before it
 * @param idempotent safe to repeat with the same inputs after a crash
 * @param guard makes a safety copy (pre-restore snapshot) that protects later destructive steps
 * @param background a notification that may run in the background of the incident: the steps after
 *     it start once it has started, and when it cannot be delivered it is recorded and escalated
 *     instead of stopping the recovery (see {@link io.drctl.plan.PlanStep#background})
 * @param defaultTimeout per-attempt timeout when the step sets none; it wins over the runbook's
 *     defaults.timeout, which is generic while this one knows the action
 * @param defaultHeartbeat heartbeat timeout when the step sets none; likewise wins over defaults
 */
public record ActionDefinition(
    String name,
    ActionKind kind,
    String title,
    String description,
    JsonNode params,
    JsonNode output,
    boolean destructive,
    boolean idempotent,
    boolean guard,
    boolean background,
    String defaultTimeout,
    String defaultHeartbeat) {

  /** The {@code x-measures} value of an output field that measures lost data in seconds. */
  public static final String DATA_LOSS = "dataLoss";

  public ActionDefinition {
    params = params == null ? emptyObjectSchema() : params;
    output = output == null ? emptyObjectSchema() : output;
  }

  /** The action's prefix (backend), e.g. {@code postgres}; empty for built-ins. */
  public String prefix() {
    int dot = name.indexOf('.');
    return dot < 0 ? "" : name.substring(0, dot);
  }

  /** Parameters that name a target, with the target kinds each accepts. */
  public Map<String, Set<String>> targetParams() {
    Map<String, Set<String>> result = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> fields = params.path("properties").fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      JsonNode kinds = field.getValue().get("x-target");
      if (kinds != null) {
        Set<String> set = new LinkedHashSet<>();
        if (kinds.isArray()) {
          kinds.forEach(k -> set.add(k.asText()));
        } else {
          set.add(kinds.asText());
        }
        result.put(field.getKey(), set);
      }
    }
    return result;
  }

  /**
   * The output field that measures the data an incident lost, in seconds ({@code "x-measures":
   * "dataLoss"} in the output schema), or null. The incident report takes the largest such value of
   * its succeeded steps as the measured RPO.
   */
  public String dataLossOutput() {
    Iterator<Map.Entry<String, JsonNode>> fields = output.path("properties").fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      if (DATA_LOSS.equals(field.getValue().path("x-measures").asText(null))) {
        return field.getKey();
      }
    }
    return null;
  }

  /** Output fields with their JSON Schema type names ("string", "integer", ...). */
  public Map<String, String> outputFields() {
    Map<String, String> result = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> fields = output.path("properties").fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      result.put(field.getKey(), field.getValue().path("type").asText("object"));
    }
    return result;
  }

  private static JsonNode emptyObjectSchema() {
    return JsonNodeFactory.instance.objectNode().put("type", "object");
  }
}
