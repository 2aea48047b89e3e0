package io.drctl.interpreter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Pattern;

/** Masks values whose names say they are secret, before outputs reach a report. */
public final class Redaction {
  private static final Pattern SECRET =
      Pattern.compile("(?i).*(password|passwd|secret|token|api[_-]?key|credential|authorization|private[_-]?key).*");
  public static final String MASK = "****";

  private Redaction() {}

  public static boolean isSecretName(String name) {
    return SECRET.matcher(name).matches();
  }

  /** A copy of {@code value} with secret-named members masked, at any depth. */
  public static JsonNode redact(JsonNode value) {
    if (value == null) {
      return null;
    }
    if (value.isObject()) {
      ObjectNode copy = JsonNodeFactory.instance.objectNode();
      Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        copy.set(field.getKey(), isSecretName(field.getKey()) && !field.getValue().isNull()
            ? JsonNodeFactory.instance.textNode(MASK) : redact(field.getValue()));
      }
      return copy;
    }
    if (value.isArray()) {
      ArrayNode copy = JsonNodeFactory.instance.arrayNode();
      value.forEach(item -> copy.add(redact(item)));
      return copy;
    }
    return value;
  }
}
