package io.drctl.expression;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Timestamp;
import io.drctl.plan.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Converts between JSON and the Java values CEL works with. Deterministic. */
public final class ExpressionValues {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private ExpressionValues() {}

  /** JSON to CEL: integers become long, other numbers double, objects maps, arrays lists. */
  public static Object fromJson(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return dev.cel.common.values.NullValue.NULL_VALUE;
    }
    if (node.isTextual()) return node.asText();
    if (node.isBoolean()) return node.asBoolean();
    if (node.isIntegralNumber()) return node.asLong();
    if (node.isNumber()) return node.asDouble();
    if (node.isArray()) {
      List<Object> list = new ArrayList<>();
      node.forEach(item -> list.add(fromJson(item)));
      return list;
    }
    Map<String, Object> map = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      map.put(field.getKey(), fromJson(field.getValue()));
    }
    return map;
  }

  /** CEL to JSON: timestamps become RFC 3339 text, durations runbook durations. */
  public static JsonNode toJson(Object value) {
    if (value == null || value instanceof dev.cel.common.values.NullValue) return NODES.nullNode();
    if (value instanceof String s) return NODES.textNode(s);
    if (value instanceof Boolean b) return NODES.booleanNode(b);
    if (value instanceof Long l) return NODES.numberNode(l);
    if (value instanceof Integer i) return NODES.numberNode(i);
    if (value instanceof Double d) return NODES.numberNode(d);
    if (value instanceof Number n) return NODES.numberNode(n.doubleValue());
    if (value instanceof Instant
        || value instanceof Timestamp
        || value instanceof Duration
        || value instanceof com.google.protobuf.Duration) {
      return NODES.textNode(toText(value));
    }
    if (value instanceof List<?> list) {
      ArrayNode array = NODES.arrayNode();
      list.forEach(item -> array.add(toJson(item)));
      return array;
    }
    if (value instanceof Map<?, ?> map) {
      ObjectNode object = NODES.objectNode();
      map.forEach((k, v) -> object.set(String.valueOf(k), toJson(v)));
      return object;
    }
    return NODES.textNode(String.valueOf(value));
  }

  /** How a value reads when spliced into text. */
  public static String toText(Object value) {
    if (value instanceof Instant instant) return instant.toString();
    if (value instanceof Timestamp ts)
      return Instant.ofEpochSecond(ts.getSeconds(), ts.getNanos()).toString();
    if (value instanceof Duration d) return Durations.format(d);
    if (value instanceof com.google.protobuf.Duration d) {
      return Durations.format(Duration.ofSeconds(d.getSeconds(), d.getNanos()));
    }
    if (value instanceof String s) return s;
    if (value instanceof List<?> || value instanceof Map<?, ?>) return toJson(value).toString();
    return String.valueOf(value);
  }
}
