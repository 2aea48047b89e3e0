package io.drctl.interpreter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Masks values whose names say they are secret, before outputs reach a report; and, for reports
 * built from a whole history, masks those same values wherever else they turn up (an error message,
 * a prompt that quoted an input).
 */
public final class Redaction {
  private static final Pattern SECRET =
      Pattern.compile(
          "(?i).*(password|passwd|secret|token|api[_-]?key|credential|authorization|private[_-]?key).*");
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
        copy.set(
            field.getKey(),
            isSecretName(field.getKey()) && !field.getValue().isNull()
                ? JsonNodeFactory.instance.textNode(MASK)
                : redact(field.getValue()));
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

  /** Secret values shorter than this are not hunted down in other text: too many false hits. */
  static final int MIN_SECRET_LENGTH = 4;

  /**
   * The text values of every secret-named member of {@code value}, at any depth (a secret object or
   * array contributes every text inside it), so that {@link #mask} can remove them elsewhere.
   */
  public static Set<String> secretValues(JsonNode value) {
    Set<String> found = new TreeSet<>();
    collect(value, false, found);
    return found;
  }

  private static void collect(JsonNode value, boolean secret, Set<String> found) {
    if (value == null) {
      return;
    }
    if (value.isObject()) {
      value
          .fields()
          .forEachRemaining(
              field -> collect(field.getValue(), secret || isSecretName(field.getKey()), found));
    } else if (value.isArray()) {
      value.forEach(item -> collect(item, secret, found));
    } else if (secret
        && value.isValueNode()
        && !value.isNull()
        && value.asText().length() >= MIN_SECRET_LENGTH) {
      found.add(value.asText());
    }
  }

  /**
   * {@link #redact} of {@code value}, and every occurrence of one of {@code secrets} in any text
   * (member names included) replaced by {@link #MASK}. Longer secrets are replaced first, so one
   * that contains another is masked whole.
   */
  public static JsonNode mask(JsonNode value, Set<String> secrets) {
    return replace(
        redact(value), secrets.stream().sorted((a, b) -> b.length() - a.length()).toList());
  }

  private static JsonNode replace(JsonNode value, List<String> secrets) {
    if (value == null || secrets.isEmpty()) {
      return value;
    }
    if (value.isObject()) {
      ObjectNode copy = JsonNodeFactory.instance.objectNode();
      value
          .fields()
          .forEachRemaining(
              field ->
                  copy.set(replace(field.getKey(), secrets), replace(field.getValue(), secrets)));
      return copy;
    }
    if (value.isArray()) {
      ArrayNode copy = JsonNodeFactory.instance.arrayNode();
      value.forEach(item -> copy.add(replace(item, secrets)));
      return copy;
    }
    return value.isTextual()
        ? JsonNodeFactory.instance.textNode(replace(value.asText(), secrets))
        : value;
  }

  private static String replace(String text, List<String> secrets) {
    String masked = text;
    for (String secret : secrets) {
      masked = masked.replace(secret, MASK);
    }
    return masked;
  }
}
