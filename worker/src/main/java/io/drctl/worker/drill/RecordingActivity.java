package io.drctl.worker.drill;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.drctl.catalog.ActionCatalog;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityInfo;
import io.temporal.activity.DynamicActivity;
import io.temporal.common.converter.EncodedValues;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The only activity implementation of a simulation's worker: every action of the catalog (every
 * activity type the interpreter schedules) is answered here, recorded and answered with an output
 * of the shape the catalog declares, with values of a platform that is well: booleans true, numbers
 * 0 (an HTTP status 200), strings {@code "simulated"}. It touches nothing: no container, volume,
 * database, store or notification channel.
 *
 * <p>Thread-safe: activities of several incidents may run at once.
 */
final class RecordingActivity implements DynamicActivity {
  /** One action the interpreter asked for. */
  record Call(String workflowId, String action, int attempt) {}

  private final ActionCatalog catalog;
  private final List<Call> calls = Collections.synchronizedList(new ArrayList<>());

  RecordingActivity(ActionCatalog catalog) {
    this.catalog = catalog;
  }

  @Override
  public Object execute(EncodedValues args) {
    ActivityInfo info = Activity.getExecutionContext().getInfo();
    calls.add(new Call(info.getWorkflowId(), info.getActivityType(), info.getAttempt()));
    return catalog
        .find(info.getActivityType())
        .map(definition -> answer(definition.name(), definition.output()))
        .orElseGet(JsonNodeFactory.instance::objectNode);
  }

  /** Every call so far, in the order they came. */
  List<Call> calls() {
    synchronized (calls) {
      return List.copyOf(calls);
    }
  }

  /** A value of {@code schema}'s shape, as a healthy platform would answer. */
  static JsonNode answer(String action, JsonNode schema) {
    JsonNodeFactory json = JsonNodeFactory.instance;
    String type =
        schema.path("type").isArray()
            ? schema.path("type").get(0).asText()
            : schema.path("type").asText("object");
    return switch (type) {
      case "boolean" -> json.booleanNode(true);
      case "integer" -> json.numberNode(0);
      case "number" -> json.numberNode(0.0);
      case "string" ->
          json.textNode(schema.has("enum") ? schema.path("enum").get(0).asText() : "simulated");
      case "array" -> json.arrayNode();
      case "null" -> json.nullNode();
      default -> object(action, schema);
    };
  }

  private static ObjectNode object(String action, JsonNode schema) {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    Iterator<Map.Entry<String, JsonNode>> properties = schema.path("properties").fields();
    while (properties.hasNext()) {
      Map.Entry<String, JsonNode> property = properties.next();
      boolean httpStatus =
          property.getKey().equals("status")
              && action.startsWith("http.")
              && property.getValue().path("type").asText().matches("integer|number");
      out.set(
          property.getKey(),
          httpStatus
              ? JsonNodeFactory.instance.numberNode(200)
              : answer(action, property.getValue()));
    }
    return out;
  }
}
