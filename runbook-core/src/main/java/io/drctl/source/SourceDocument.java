package io.drctl.source;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * A parsed JSON document that remembers where each node came from.
 *
 * <p>Positions are keyed by JSON pointer (RFC 6901). For an object member the value position is
 * where its value starts and the key position is where its name starts; diagnostics about an
 * unknown or misspelled property point at the key.
 */
public final class SourceDocument {
  private final String file;
  private final String text;
  private final JsonNode root;
  private final Map<String, SourcePosition> values;
  private final Map<String, SourcePosition> keys;

  SourceDocument(
      String file,
      String text,
      JsonNode root,
      Map<String, SourcePosition> values,
      Map<String, SourcePosition> keys) {
    this.file = file;
    this.text = text;
    this.root = root;
    this.values = Map.copyOf(values);
    this.keys = Map.copyOf(keys);
  }

  public String file() {
    return file;
  }

  public String text() {
    return text;
  }

  public JsonNode root() {
    return root;
  }

  /** Where the value at {@code pointer} starts, or the nearest enclosing node that is known. */
  public SourcePosition valuePosition(String pointer) {
    for (String p = pointer; ; p = JsonPointers.parent(p)) {
      SourcePosition position = values.get(p);
      if (position != null) {
        return position;
      }
      if (p.isEmpty()) {
        return SourcePosition.UNKNOWN;
      }
    }
  }

  /** Where the member name at {@code pointer} starts; falls back to {@link #valuePosition}. */
  public SourcePosition keyPosition(String pointer) {
    SourcePosition position = keys.get(pointer);
    return position != null ? position : valuePosition(pointer);
  }

  /**
   * Where the character at {@code offset} of the decoded string value at {@code pointer} sits in
   * the file, accounting for escape sequences. Falls back to the start of the value.
   */
  public SourcePosition positionInString(String pointer, int offset) {
    SourcePosition start = valuePosition(pointer);
    if (!start.isKnown()) {
      return start;
    }
    int index = indexOf(start);
    if (index < 0 || index >= text.length() || text.charAt(index) != '"') {
      return start;
    }
    int raw = index + 1;
    for (int decoded = 0; decoded < offset && raw < text.length(); decoded++) {
      char c = text.charAt(raw);
      if (c == '"') {
        break;
      }
      raw += c == '\\' ? (raw + 1 < text.length() && text.charAt(raw + 1) == 'u' ? 6 : 2) : 1;
    }
    return new SourcePosition(start.line(), start.column() + (raw - index));
  }

  private int indexOf(SourcePosition position) {
    int line = 1;
    int i = 0;
    while (line < position.line() && i < text.length()) {
      if (text.charAt(i++) == '\n') {
        line++;
      }
    }
    return i + position.column() - 1;
  }
}
