package io.drctl.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.drctl.runbook.InputSpec;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Checks and normalises incident inputs against their specs: applies defaults, converts text (from
 * a CLI {@code k=v} or a form) to the declared type, and enforces enum and pattern. Pure.
 */
public final class InputValues {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private InputValues() {}

  /** The normalised inputs and the problems found, each naming the input. */
  public record Result(ObjectNode values, List<String> errors) {
    public boolean ok() {
      return errors.isEmpty();
    }
  }

  public static Result resolve(Map<String, InputSpec> specs, JsonNode provided) {
    ObjectNode values = NODES.objectNode();
    List<String> errors = new ArrayList<>();
    if (provided != null && !provided.isNull() && !provided.isObject()) {
      errors.add(
          "inputs must be a JSON object of name: value, not "
              + provided.getNodeType().name().toLowerCase());
      return new Result(values, errors);
    }
    if (provided != null && provided.isObject()) {
      Iterator<String> names = provided.fieldNames();
      while (names.hasNext()) {
        String name = names.next();
        if (!specs.containsKey(name)) {
          errors.add(
              "unknown input '"
                  + name
                  + "'"
                  + (specs.isEmpty()
                      ? " (this incident takes no inputs)"
                      : "; inputs: " + String.join(", ", specs.keySet())));
        }
      }
    }
    for (Map.Entry<String, InputSpec> entry : specs.entrySet()) {
      String name = entry.getKey();
      InputSpec spec = entry.getValue();
      JsonNode value = provided == null ? null : provided.get(name);
      if (value == null || value.isNull()) {
        if (spec.defaultValue() != null) {
          value = spec.defaultValue();
        } else if (spec.mustBeGiven()) {
          errors.add("input '" + name + "' is required: " + spec.description());
          continue;
        } else {
          continue;
        }
      }
      try {
        values.set(name, coerce(spec, value));
      } catch (IllegalArgumentException e) {
        errors.add("input '" + name + "': " + e.getMessage());
      }
    }
    return new Result(values, errors);
  }

  /**
   * Converts one value to the spec's type and checks enum and pattern.
   *
   * @throws IllegalArgumentException naming what is wrong with the value
   */
  public static JsonNode coerce(InputSpec spec, JsonNode value) {
    JsonNode converted = convert(spec.type(), value);
    if (spec.allowed() != null && !spec.allowed().isEmpty()) {
      boolean found = false;
      for (JsonNode allowed : spec.allowed()) {
        JsonNode candidate;
        try {
          candidate = convert(spec.type(), allowed);
        } catch (IllegalArgumentException e) {
          continue;
        }
        found |= candidate.equals(converted);
      }
      if (!found) {
        throw new IllegalArgumentException(
            display(value)
                + " is not one of "
                + String.join(", ", spec.allowed().stream().map(InputValues::display).toList()));
      }
    }
    if (spec.pattern() != null && converted.isTextual()) {
      Pattern pattern;
      try {
        pattern = Pattern.compile(spec.pattern());
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException(
            "its pattern is not a valid regular expression: " + e.getDescription());
      }
      if (!pattern.matcher(converted.asText()).matches()) {
        throw new IllegalArgumentException(
            display(value) + " does not match the pattern " + spec.pattern());
      }
    }
    return converted;
  }

  private static JsonNode convert(String type, JsonNode value) {
    String text = value.isTextual() ? value.asText().trim() : null;
    switch (type) {
      case "string":
        if (value.isTextual()) return value;
        if (value.isValueNode()) return NODES.textNode(value.asText());
        break;
      case "integer":
        if (value.isIntegralNumber() && value.canConvertToLong())
          return NODES.numberNode(value.asLong());
        if (value.isNumber() && value.decimalValue().stripTrailingZeros().scale() <= 0) {
          return NODES.numberNode(value.decimalValue().longValueExact());
        }
        if (text != null && text.matches("[-+]?[0-9]{1,18}"))
          return NODES.numberNode(Long.parseLong(text));
        break;
      case "number":
        if (value.isNumber()) return NODES.numberNode(value.decimalValue());
        if (text != null) {
          try {
            return NODES.numberNode(new BigDecimal(text));
          } catch (NumberFormatException e) {
            break;
          }
        }
        break;
      case "boolean":
        if (value.isBoolean()) return value;
        if ("true".equals(text) || "false".equals(text))
          return NODES.booleanNode(Boolean.parseBoolean(text));
        break;
      case "timestamp":
        if (text != null) {
          try {
            return NODES.textNode(
                OffsetDateTime.parse(text.replace(' ', 'T')).toInstant().toString());
          } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                display(value)
                    + " is not a timestamp with an offset, e.g. 2025-12-27T14:30:00+00:00");
          }
        }
        break;
      case "duration":
        if (text != null && Durations.isValid(text))
          return NODES.textNode(Durations.canonical(text));
        break;
      default:
        throw new IllegalArgumentException("unknown input type '" + type + "'");
    }
    throw new IllegalArgumentException(display(value) + " is not " + article(type) + " " + type);
  }

  private static String article(String type) {
    return type.startsWith("i") ? "an" : "a";
  }

  private static String display(JsonNode value) {
    return value.isTextual() ? "'" + value.asText() + "'" : value.toString();
  }
}
