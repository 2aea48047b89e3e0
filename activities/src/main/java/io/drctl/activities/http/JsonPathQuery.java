package io.drctl.activities.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.activities.ActionFailures;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The subset of JSONPath (RFC 9535) that picks one value: {@code $} followed by member names
 * ({@code .status}, {@code ['a b']}, {@code ["x"]}) and array indexes ({@code [0]}, {@code [-1]}
 * from the end). Shorthand names may hold letters, digits, {@code _}, {@code -} and {@code $}.
 * Anything that could select several values (wildcards, {@code ..}, slices, filters, unions) is
 * invalid input rather than a silent guess. Immutable.
 */
final class JsonPathQuery {
  private final String text;
  private final List<Object> segments;

  private JsonPathQuery(String text, List<Object> segments) {
    this.text = text;
    this.segments = List.copyOf(segments);
  }

  /**
   * Parses a path.
   *
   * @throws io.temporal.failure.ApplicationFailure {@link ActionFailures#INVALID_INPUT}, naming the
   *     position of the first unsupported character
   */
  static JsonPathQuery parse(String text) {
    if (text == null || !text.startsWith("$")) {
      throw invalid(text, 0, "it must start with $");
    }
    List<Object> segments = new ArrayList<>();
    int at = 1;
    while (at < text.length()) {
      char c = text.charAt(at);
      if (c == '.') {
        int start = at + 1;
        int end = start;
        while (end < text.length() && isNameChar(text.charAt(end))) {
          end++;
        }
        if (end == start) {
          throw invalid(
              text, start, "expected a member name after '.' (.. and .* are not supported)");
        }
        segments.add(text.substring(start, end));
        at = end;
      } else if (c == '[') {
        at = bracket(text, at + 1, segments);
      } else {
        throw invalid(text, at, "expected . or [");
      }
    }
    return new JsonPathQuery(text, segments);
  }

  /** The single value the path selects, if there is one. */
  Optional<JsonNode> select(JsonNode root) {
    JsonNode node = root;
    for (Object segment : segments) {
      if (segment instanceof String name) {
        node = node.isObject() ? node.get(name) : null;
      } else {
        int index = (Integer) segment;
        if (!node.isArray()) {
          node = null;
        } else {
          int position = index < 0 ? node.size() + index : index;
          node = position >= 0 && position < node.size() ? node.get(position) : null;
        }
      }
      if (node == null) {
        return Optional.empty();
      }
    }
    return Optional.of(node);
  }

  @Override
  public String toString() {
    return text;
  }

  private static int bracket(String text, int at, List<Object> segments) {
    if (at >= text.length()) {
      throw invalid(text, at, "unclosed [");
    }
    char first = text.charAt(at);
    int end;
    if (first == '\'' || first == '"') {
      StringBuilder name = new StringBuilder();
      int i = at + 1;
      while (i < text.length() && text.charAt(i) != first) {
        char c = text.charAt(i);
        if (c == '\\' && i + 1 < text.length()) {
          i++;
          c = text.charAt(i);
        }
        name.append(c);
        i++;
      }
      if (i >= text.length()) {
        throw invalid(text, at, "unclosed quoted name");
      }
      segments.add(name.toString());
      end = i + 1;
    } else {
      int i = at;
      if (i < text.length() && text.charAt(i) == '-') {
        i++;
      }
      int digits = i;
      while (i < text.length() && Character.isDigit(text.charAt(i))) {
        i++;
      }
      if (i == digits || i - digits > 9) {
        throw invalid(
            text,
            at,
            "expected an index, 'name' or \"name\" (*, slices, filters and"
                + " unions are not supported)");
      }
      segments.add(Integer.parseInt(text.substring(at, i)));
      end = i;
    }
    if (end >= text.length() || text.charAt(end) != ']') {
      throw invalid(text, end, "expected ]");
    }
    return end + 1;
  }

  private static boolean isNameChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '$';
  }

  private static RuntimeException invalid(String text, int position, String reason) {
    return ActionFailures.invalidInput(
        "jsonPath '"
            + text
            + "' is not supported at position "
            + position
            + ": "
            + reason
            + "; use $, .name, ['name'] and [index]");
  }
}
