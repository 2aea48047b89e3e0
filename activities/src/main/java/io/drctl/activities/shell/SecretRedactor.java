package io.drctl.activities.shell;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/** Replaces the secret values of one step by {@code ****} in text the step returns or reports. */
final class SecretRedactor {
  static final String MASK = "****";

  private final List<String> secrets;

  SecretRedactor(Collection<String> values) {
    // Longest first, so that a secret containing another is masked whole.
    this.secrets =
        values.stream()
            .filter(value -> !value.isEmpty())
            .distinct()
            .sorted(Comparator.comparingInt(String::length).reversed())
            .toList();
  }

  /** Bytes a capture must keep beyond its limit so that a secret cut at the front can be found. */
  int longestSecretBytes() {
    return secrets.stream()
        .mapToInt(secret -> secret.getBytes(StandardCharsets.UTF_8).length)
        .max()
        .orElse(0);
  }

  String redact(String text) {
    String result = text;
    for (String secret : secrets) {
      result = result.replace(secret, MASK);
    }
    return result;
  }

  /**
   * Removes a secret's end from the start of text whose beginning was cut off: after the cut, a
   * proper suffix of a secret can remain there that {@link #redact} cannot recognise.
   */
  String stripLeadingFragment(String text) {
    int longest = 0;
    for (String secret : secrets) {
      for (int length = Math.min(secret.length() - 1, text.length()); length > longest; length--) {
        if (text.startsWith(secret.substring(secret.length() - length))) {
          longest = length;
          break;
        }
      }
    }
    return text.substring(longest);
  }

  /** Removes a secret's beginning from the end of text still being written. */
  String stripTrailingFragment(String text) {
    int longest = 0;
    for (String secret : secrets) {
      for (int length = Math.min(secret.length() - 1, text.length()); length > longest; length--) {
        if (text.endsWith(secret.substring(0, length))) {
          longest = length;
          break;
        }
      }
    }
    return text.substring(0, text.length() - longest);
  }
}
