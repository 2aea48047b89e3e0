package io.drctl.runbook;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A named resource. Its properties stay as JSON: each kind has its own, checked by the schema.
 * Secret properties hold references ({@code env:NAME}, {@code file:/path}), never values.
 */
public record TargetSpec(String kind, ObjectNode properties) {
  /** Properties that hold secret references; they are never exposed to expressions. */
  public static final Set<String> SECRET_PROPERTIES =
      Set.of("password", "accessKeyId", "secretAccessKey", "headers");

  /**
   * The target {@code node}; its kind is empty when it names none (an error the schema reports).
   */
  public static TargetSpec of(ObjectNode node) {
    JsonNode kind = node.path("kind");
    return new TargetSpec(kind.isTextual() ? kind.asText() : "", node.deepCopy());
  }

  /**
   * Whether the target names its kind. One that does not is already an error; checks that compare
   * kinds pass over it rather than report the same mistake again.
   */
  @JsonIgnore
  public boolean hasKind() {
    return !kind.isEmpty();
  }

  /** Non-secret scalar properties, readable in expressions as targets.NAME.FIELD. */
  @JsonIgnore
  public Map<String, JsonNode> publicFields() {
    Map<String, JsonNode> fields = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = properties.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> field = it.next();
      if (!SECRET_PROPERTIES.contains(field.getKey()) && field.getValue().isValueNode()) {
        fields.put(field.getKey(), field.getValue());
      }
    }
    return fields;
  }
}
