package io.drctl.source;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads JSON text into a {@link SourceDocument}, recording the line and column of every node.
 *
 * <p>Stricter than plain JSON on purpose: a duplicate member name is an error (the last one would
 * otherwise silently win), and so is anything after the top-level value.
 */
public final class JsonSourceReader {
  private static final JsonFactory FACTORY =
      JsonFactory.builder()
          .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(200).build())
          .build();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final String file;
  private final String text;
  private final Map<String, SourcePosition> values = new HashMap<>();
  private final Map<String, SourcePosition> keys = new HashMap<>();

  private JsonSourceReader(String file, String text) {
    this.file = file;
    this.text = text;
  }

  public static SourceDocument read(String file, String text) throws SourceSyntaxException {
    return new JsonSourceReader(file, text).read();
  }

  private SourceDocument read() throws SourceSyntaxException {
    String pointer = "";
    try (JsonParser parser = FACTORY.createParser(text)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        throw new SourceSyntaxException(
            "the file is empty", "", new SourcePosition(1, 1), "a runbook is a JSON object: {...}");
      }
      JsonNode root = readValue(parser, "");
      JsonToken trailing;
      try {
        trailing = parser.nextToken();
      } catch (JsonParseException e) {
        trailing =
            JsonToken.NOT_AVAILABLE; // e.g. a stray closing brace: still content after the end
      }
      if (trailing != null) {
        throw new SourceSyntaxException(
            "unexpected content after the end of the top-level value",
            "",
            position(parser.currentTokenLocation()),
            "remove what follows the closing brace");
      }
      return new SourceDocument(file, text, root, values, keys);
    } catch (PointedParseException e) {
      throw e.toSyntaxException();
    } catch (JsonParseException e) {
      throw syntaxError(e, pointer);
    } catch (IOException e) {
      throw new SourceSyntaxException(
          "cannot read JSON: " + e.getMessage(), pointer, SourcePosition.UNKNOWN, null);
    }
  }

  private JsonNode readValue(JsonParser parser, String pointer) throws IOException {
    values.put(pointer, position(parser.currentTokenLocation()));
    JsonToken token = parser.currentToken();
    try {
      switch (token) {
        case START_OBJECT:
          return readObject(parser, pointer);
        case START_ARRAY:
          return readArray(parser, pointer);
        case VALUE_STRING:
          return NODES.textNode(parser.getText());
        case VALUE_NUMBER_INT:
          // The same node types as Jackson's own tree reader, so equal documents compare equal.
          return switch (parser.getNumberType()) {
            case INT -> NODES.numberNode(parser.getIntValue());
            case LONG -> NODES.numberNode(parser.getLongValue());
            default -> NODES.numberNode(parser.getBigIntegerValue());
          };
        case VALUE_NUMBER_FLOAT:
          double value = parser.getDoubleValue();
          // 1E+400 overflows a double; keep it exact so that no later step sees Infinity.
          return Double.isFinite(value)
              ? NODES.numberNode(value)
              : NODES.numberNode(parser.getDecimalValue());
        case VALUE_TRUE:
          return NODES.booleanNode(true);
        case VALUE_FALSE:
          return NODES.booleanNode(false);
        case VALUE_NULL:
          return NODES.nullNode();
        default:
          throw new JsonParseException(parser, "unexpected token " + token);
      }
    } catch (JsonParseException e) {
      throw new PointedParseException(e, pointer);
    }
  }

  private ObjectNode readObject(JsonParser parser, String pointer) throws IOException {
    ObjectNode object = NODES.objectNode();
    JsonToken token;
    while ((token = nextInObject(parser, pointer, object)) == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      String child = JsonPointers.child(pointer, name);
      SourcePosition keyPosition = position(parser.currentTokenLocation());
      if (object.has(name)) {
        throw new PointedParseException(
            new SourceSyntaxException(
                "duplicate property '" + name + "'",
                child,
                keyPosition,
                "first defined at line " + keys.get(child).line() + "; remove one of them"));
      }
      keys.put(child, keyPosition);
      try {
        parser.nextToken();
      } catch (JsonParseException e) {
        throw new PointedParseException(e, child); // the value itself is malformed
      }
      object.set(name, readValue(parser, child));
    }
    if (token != JsonToken.END_OBJECT) {
      throw new JsonParseException(parser, "expected a property name or '}'");
    }
    return object;
  }

  /**
   * The next token of an object. Jackson reads a member's name and the start of its value in one
   * step, so an error in the value surfaces here; it belongs to the member, not the object.
   */
  private static JsonToken nextInObject(JsonParser parser, String pointer, ObjectNode object)
      throws IOException {
    try {
      return parser.nextToken();
    } catch (JsonParseException e) {
      String name = parser.currentName();
      throw new PointedParseException(
          e, name != null && !object.has(name) ? JsonPointers.child(pointer, name) : pointer);
    }
  }

  private ArrayNode readArray(JsonParser parser, String pointer) throws IOException {
    ArrayNode array = NODES.arrayNode();
    int index = 0;
    while (parser.nextToken() != JsonToken.END_ARRAY) {
      array.add(readValue(parser, JsonPointers.child(pointer, index++)));
    }
    return array;
  }

  private static SourcePosition position(JsonLocation location) {
    return new SourcePosition(location.getLineNr(), location.getColumnNr());
  }

  private static SourceSyntaxException syntaxError(JsonParseException e, String pointer) {
    String message = e.getOriginalMessage();
    int newline = message.indexOf('\n');
    if (newline > 0) {
      message = message.substring(0, newline);
    }
    // Jackson's own advice names its internals; the hint below says it in runbook terms.
    message =
        message
            .replaceAll(
                "\\s*\\(?(StreamReadFeature|StreamReadConstraints|JsonReadFeature)[^)]*\\)?.*$", "")
            .replaceAll("\\s*at \\[Source:.*$", "")
            .replaceAll("\\s*\\(for [^)]*$", "")
            .replace("Source: REDACTED", "")
            .strip();
    String hint = null;
    if (message.contains("Unexpected character ('}'")
        || message.contains("Unexpected character (']'")) {
      hint = "a trailing comma is not allowed in JSON";
    } else if (message.contains("was expecting double-quote")) {
      hint = "property names must be in double quotes (or a closing brace is missing)";
    } else if (message.contains("nesting depth")) {
      hint = "the document nests more than 200 levels deep; a runbook never needs that";
    } else if (message.contains("Unexpected end-of-input")) {
      hint = "a closing brace or bracket is missing";
    } else if (message.contains("Unexpected character ('''")) {
      hint = "JSON strings use double quotes";
    }
    return new SourceSyntaxException(
        "invalid JSON: " + message, pointer, position(e.getLocation()), hint);
  }

  /** Carries the pointer of the innermost value being read up through the recursion. */
  private static final class PointedParseException extends IOException {
    private static final long serialVersionUID = 1L;
    private final transient SourceSyntaxException syntax;

    PointedParseException(JsonParseException cause, String pointer) {
      super(cause);
      this.syntax = syntaxError(cause, pointer);
    }

    PointedParseException(SourceSyntaxException syntax) {
      super(syntax.getMessage());
      this.syntax = syntax;
    }

    SourceSyntaxException toSyntaxException() {
      return syntax;
    }
  }
}
