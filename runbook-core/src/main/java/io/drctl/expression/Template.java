package io.drctl.expression;

import java.util.ArrayList;
import java.util.List;

/**
 * A string that may embed CEL expressions as {@code ${{ expression }}}.
 *
 * <p>A string that is exactly one {@code ${{ }}} evaluates to the expression's value with its own
 * type (a number stays a number). Otherwise each expression is turned into text and spliced in.
 * {@code $${{} writes a literal {@code ${{}.
 */
public final class Template {
  private static final String OPEN = "${{";
  private static final String CLOSE = "}}";

  /** A piece of a template: literal text, or an expression and its offset in the string. */
  public record Segment(String text, boolean expression, int offset) {}

  private final String source;
  private final List<Segment> segments;

  private Template(String source, List<Segment> segments) {
    this.source = source;
    this.segments = List.copyOf(segments);
  }

  /**
   * Splits {@code source} into segments.
   *
   * @throws TemplateException when a {@code ${{} is not closed or an expression is empty
   */
  public static Template parse(String source) throws TemplateException {
    List<Segment> segments = new ArrayList<>();
    StringBuilder literal = new StringBuilder();
    int literalStart = 0;
    int i = 0;
    while (i < source.length()) {
      if (source.startsWith("$" + OPEN, i)) {
        literal.append(OPEN);
        i += OPEN.length() + 1;
        continue;
      }
      if (source.startsWith(OPEN, i)) {
        int close = source.indexOf(CLOSE, i + OPEN.length());
        if (close < 0) {
          throw new TemplateException("'${{' at offset " + i + " is not closed with '}}'", i);
        }
        String body = source.substring(i + OPEN.length(), close);
        if (body.isBlank()) {
          throw new TemplateException("empty expression '${{ }}'", i);
        }
        if (literal.length() > 0) {
          segments.add(new Segment(literal.toString(), false, literalStart));
          literal.setLength(0);
        }
        int leading = body.length() - body.stripLeading().length();
        segments.add(new Segment(body.strip(), true, i + OPEN.length() + leading));
        i = close + CLOSE.length();
        literalStart = i;
        continue;
      }
      literal.append(source.charAt(i));
      i++;
    }
    if (literal.length() > 0) {
      segments.add(new Segment(literal.toString(), false, literalStart));
    }
    return new Template(source, segments);
  }

  /** A bare condition (an {@code if}) may be written with or without {@code ${{ }}}. */
  public static Segment condition(String source) throws TemplateException {
    Template template = parse(source);
    if (template.isSingleExpression()) {
      return template.segments.get(0);
    }
    if (template.hasExpressions()) {
      throw new TemplateException(
          "a condition is one CEL expression, not text with ${{ }} inside", 0);
    }
    int leading = source.length() - source.stripLeading().length();
    return new Segment(source.strip(), true, leading);
  }

  public String source() {
    return source;
  }

  public List<Segment> segments() {
    return segments;
  }

  public boolean hasExpressions() {
    return segments.stream().anyMatch(Segment::expression);
  }

  public boolean isSingleExpression() {
    return segments.size() == 1 && segments.get(0).expression();
  }

  /** Malformed {@code ${{ }}}; carries the offset in the string. */
  public static final class TemplateException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int offset;

    public TemplateException(String message, int offset) {
      super(message);
      this.offset = offset;
    }

    public int offset() {
      return offset;
    }
  }
}
