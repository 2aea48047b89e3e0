package io.drctl.interpreter;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/** A one-line summary of a step's output, for progress tables. */
final class Summaries {
  private static final int MAX = 120;

  private Summaries() {}

  static String of(JsonNode output) {
    if (output == null || output.isEmpty()) {
      return "";
    }
    StringBuilder text = new StringBuilder();
    Iterator<Map.Entry<String, JsonNode>> fields = output.fields();
    while (fields.hasNext() && text.length() < MAX) {
      Map.Entry<String, JsonNode> field = fields.next();
      JsonNode value = field.getValue();
      if (!value.isValueNode() || Redaction.isSecretName(field.getKey())) {
        continue;
      }
      String shown = value.asText().replace('\n', ' ');
      if (shown.length() > 40) {
        shown = shown.substring(0, 39) + "…";
      }
      if (text.length() > 0) {
        text.append(", ");
      }
      text.append(field.getKey()).append('=').append(shown);
    }
    return text.length() > MAX ? text.substring(0, MAX - 1) + "…" : text.toString();
  }
}
