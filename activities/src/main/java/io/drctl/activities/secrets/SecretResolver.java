package io.drctl.activities.secrets;

import io.drctl.activities.ActionFailures;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Resolves secret references inside activities, so that only the reference (never the value)
 * travels through workflow inputs, history and logs. Two kinds exist:
 *
 * <ul>
 *   <li>{@code env:NAME}: the worker's environment variable {@code NAME};
 *   <li>{@code file:/absolute/path}: the file's UTF-8 contents, one trailing newline removed.
 * </ul>
 *
 * <p>Call rules: resolve per activity attempt, as late as possible; the file is read again each
 * time, so a rotated secret is picked up by the next attempt. The reference itself is not secret
 * and appears in error messages; the value never does. Thread-safe.
 */
public final class SecretResolver {
  public static final String ENV_PREFIX = "env:";
  public static final String FILE_PREFIX = "file:";

  // Only a short word before the colon is echoed as the "kind"; anything else might be a value.
  private static final Pattern KIND = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,19}");

  private final Map<String, String> environment;

  /** Resolves {@code env:} references against the worker's own environment. */
  public SecretResolver() {
    this(System.getenv());
  }

  /** Resolves {@code env:} references against the given variables (tests, embedding). */
  public SecretResolver(Map<String, String> environment) {
    this.environment = Map.copyOf(environment);
  }

  /** Whether the value is a reference this resolver understands ({@code env:} or {@code file:}). */
  public static boolean isReference(String value) {
    return value != null && (value.startsWith(ENV_PREFIX) || value.startsWith(FILE_PREFIX));
  }

  /**
   * Resolves one reference.
   *
   * @throws IllegalArgumentException when the text is not an {@code env:} or {@code file:}
   *     reference, or is a malformed one; the message names the kind, never the text
   * @throws ApplicationFailure non-retryable, type {@link ActionFailures#SECRET_UNAVAILABLE}, when
   *     the variable is unset or the file cannot be read
   */
  public Secret resolve(String reference) {
    if (reference == null) {
      throw new IllegalArgumentException("secret reference is missing");
    }
    if (reference.startsWith(ENV_PREFIX)) {
      return resolveEnvironment(reference, reference.substring(ENV_PREFIX.length()));
    }
    if (reference.startsWith(FILE_PREFIX)) {
      return resolveFile(reference, reference.substring(FILE_PREFIX.length()));
    }
    int colon = reference.indexOf(':');
    if (colon > 0 && KIND.matcher(reference.substring(0, colon)).matches()) {
      throw new IllegalArgumentException(
          "unsupported secret reference kind '"
              + reference.substring(0, colon)
              + "': expected env:NAME or file:/path");
    }
    throw new IllegalArgumentException(
        "value is not a secret reference: expected env:NAME or file:/path");
  }

  private Secret resolveEnvironment(String reference, String name) {
    if (name.isEmpty()) {
      throw new IllegalArgumentException("secret reference env: has no variable name");
    }
    String value = environment.get(name);
    if (value == null) {
      throw unavailable(reference, "the worker has no environment variable " + name);
    }
    return new Secret(value);
  }

  private Secret resolveFile(String reference, String file) {
    Path path = Path.of(file);
    if (!path.isAbsolute()) {
      throw new IllegalArgumentException(
          "secret reference " + reference + " must name an absolute path");
    }
    String contents;
    try {
      contents = Files.readString(path, StandardCharsets.UTF_8);
    } catch (IOException e) {
      // The exception's own message may quote file contents (malformed input); keep only its kind.
      throw unavailable(reference, "cannot read the file (" + e.getClass().getSimpleName() + ")");
    }
    return new Secret(stripTrailingNewline(contents));
  }

  private static String stripTrailingNewline(String text) {
    if (text.endsWith("\r\n")) {
      return text.substring(0, text.length() - 2);
    }
    if (text.endsWith("\n")) {
      return text.substring(0, text.length() - 1);
    }
    return text;
  }

  private static ApplicationFailure unavailable(String reference, String reason) {
    return ActionFailures.nonRetryable(
        ActionFailures.SECRET_UNAVAILABLE, "secret " + reference + " is not available: " + reason);
  }
}
