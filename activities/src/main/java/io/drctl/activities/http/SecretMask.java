package io.drctl.activities.http;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Replaces the secret values a request sent by {@code ****} in the text of its response (a server
 * may echo a header back). Each secret is also masked in its JSON-escaped form.
 */
final class SecretMask {
  static final String MASK = "****";

  private final List<String> secrets;

  SecretMask(Collection<String> values) {
    Set<String> forms = new LinkedHashSet<>();
    for (String value : values) {
      if (!value.isEmpty()) {
        forms.add(value);
        forms.add(new String(JsonStringEncoder.getInstance().quoteAsString(value)));
      }
    }
    // Longest first, so that a secret containing another is masked whole.
    this.secrets =
        forms.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
  }

  /** Bytes to read beyond a limit so that a secret starting before the limit is seen whole. */
  int longestSecretBytes() {
    return secrets.stream()
        .mapToInt(secret -> secret.getBytes(StandardCharsets.UTF_8).length)
        .max()
        .orElse(0);
  }

  /**
   * The first {@code end} characters of {@code text} with every secret replaced by {@code ****}. A
   * secret that starts before {@code end} and runs past it is replaced whole, so no part of it is
   * left at the cut; nothing after it is kept.
   */
  String mask(String text, int end) {
    StringBuilder out = new StringBuilder(Math.min(end, text.length()));
    int at = 0;
    while (at < end && at < text.length()) {
      String secret = secretAt(text, at);
      if (secret == null) {
        out.append(text.charAt(at));
        at++;
      } else {
        out.append(MASK);
        at += secret.length();
      }
    }
    return out.toString();
  }

  private String secretAt(String text, int at) {
    for (String secret : secrets) {
      if (text.startsWith(secret, at)) {
        return secret;
      }
    }
    return null;
  }
}
