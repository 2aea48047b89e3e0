package io.drctl.source;

/** The text is not well-formed JSON. Carries where the reader gave up and why. */
public final class SourceSyntaxException extends Exception {
  private static final long serialVersionUID = 1L;
  private final String pointer;
  private final SourcePosition position;
  private final String hint;

  public SourceSyntaxException(
      String message, String pointer, SourcePosition position, String hint) {
    super(message);
    this.pointer = pointer;
    this.position = position;
    this.hint = hint;
  }

  public String pointer() {
    return pointer;
  }

  public SourcePosition position() {
    return position;
  }

  public String hint() {
    return hint;
  }
}
