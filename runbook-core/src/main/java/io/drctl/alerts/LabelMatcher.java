package io.drctl.alerts;

import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One label matcher of an alert route, as Alertmanager writes them: {@code name=value}, {@code
 * name!=value}, {@code name=~regex}, {@code name!~regex}. The value may be in double quotes. A
 * regex must match the whole label value; a missing label has the value {@code ""}. Immutable.
 */
public record LabelMatcher(String label, Operator operator, String value, Pattern regex) {
  /** The four operators, longest first so that {@code =~} is not read as {@code =}. */
  public enum Operator {
    MATCHES("=~"),
    NOT_MATCHES("!~"),
    NOT_EQUALS("!="),
    EQUALS("=");

    private final String text;

    Operator(String text) {
      this.text = text;
    }

    public String text() {
      return text;
    }
  }

  /** A matcher that cannot be read; {@link #offset} is where in the text the problem is. */
  public static final class MatcherException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int offset;

    MatcherException(String message, int offset) {
      super(message);
      this.offset = offset;
    }

    public int offset() {
      return offset;
    }
  }

  /** Reads {@code text}, e.g. {@code alertname=PostgresDown} or {@code instance=~"db-[0-9]+"}. */
  public static LabelMatcher parse(String text) throws MatcherException {
    int start = 0;
    while (start < text.length() && Character.isWhitespace(text.charAt(start))) {
      start++;
    }
    int end = start;
    while (end < text.length()
        && (Character.isLetterOrDigit(text.charAt(end)) || text.charAt(end) == '_')) {
      end++;
    }
    String label = text.substring(start, end);
    int at = end;
    while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
      at++;
    }
    Operator operator = null;
    for (Operator candidate : Operator.values()) {
      if (text.startsWith(candidate.text(), at)) {
        operator = candidate;
        break;
      }
    }
    if (label.isEmpty() || operator == null) {
      throw new MatcherException("'" + text + "' is not a label matcher", start);
    }
    int valueStart = at + operator.text().length();
    String raw = text.substring(valueStart).strip();
    int rawOffset = text.indexOf(raw, valueStart);
    String value = raw;
    if (raw.length() >= 2 && raw.startsWith("\"") && raw.endsWith("\"")) {
      value = raw.substring(1, raw.length() - 1);
      rawOffset++;
    }
    Pattern regex = null;
    if (operator == Operator.MATCHES || operator == Operator.NOT_MATCHES) {
      try {
        regex = Pattern.compile(value);
      } catch (PatternSyntaxException e) {
        throw new MatcherException(
            "the regex of '" + text + "' is invalid: " + e.getDescription(),
            rawOffset + Math.max(0, e.getIndex()));
      }
    }
    return new LabelMatcher(label, operator, value, regex);
  }

  public boolean matches(Map<String, String> labels) {
    String actual = labels.getOrDefault(label, "");
    return switch (operator) {
      case EQUALS -> actual.equals(value);
      case NOT_EQUALS -> !actual.equals(value);
      case MATCHES -> regex.matcher(actual).matches();
      case NOT_MATCHES -> !regex.matcher(actual).matches();
    };
  }

  /**
   * Whether a label that matches is certain to be present: = with a value, or =~ of one that needs
   * a character.
   */
  public boolean guaranteesLabel() {
    return switch (operator) {
      case EQUALS -> !value.isEmpty();
      case MATCHES -> !regex.matcher("").matches();
      default -> false;
    };
  }

  @Override
  public String toString() {
    return label + operator.text() + "\"" + value + "\"";
  }
}
