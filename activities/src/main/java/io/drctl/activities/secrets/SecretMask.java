package io.drctl.activities.secrets;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The one way every backend hides the secret values of one step in text it returns, reports or
 * fails with (a tool's stderr, a command's output, a response body): each value, and its
 * JSON-escaped form, becomes {@code ****}. Where a secret contains another, the longer one is
 * masked whole. Text cut from a longer stream can hold a piece of a secret at the cut; the {@code
 * strip...Fragment} methods remove it, and {@link #longestSecretBytes()} tells how much more than a
 * limit to keep so that a secret crossing it is still seen whole. Immutable, thread-safe.
 */
public final class SecretMask {
  public static final String MASK = Secret.MASK;
  private static final SecretMask NONE = new SecretMask(List.of());

  private final List<String> secrets;

  private SecretMask(Collection<String> values) {
    Set<String> forms = new LinkedHashSet<>();
    for (String value : values) {
      if (value != null && !value.isEmpty()) {
        forms.add(value);
        forms.add(new String(JsonStringEncoder.getInstance().quoteAsString(value)));
      }
    }
    this.secrets =
        forms.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
  }

  /** A mask of these resolved values; null and empty values are ignored. */
  public static SecretMask of(Collection<String> values) {
    return values.isEmpty() ? NONE : new SecretMask(values);
  }

  /** A mask that hides nothing (a step without secrets). */
  public static SecretMask none() {
    return NONE;
  }

  /** Bytes to keep beyond a limit so that a secret starting before the limit is seen whole. */
  public int longestSecretBytes() {
    return secrets.isEmpty() ? 0 : secrets.get(0).getBytes(StandardCharsets.UTF_8).length;
  }

  /** {@code text} with every secret replaced by {@code ****}. */
  public String mask(String text) {
    return mask(text, text.length());
  }

  /**
   * The first {@code end} characters of {@code text} with every secret replaced by {@code ****}. A
   * secret that starts before {@code end} and runs past it is replaced whole, so no part of it is
   * left at the cut; nothing after it is kept.
   */
  public String mask(String text, int end) {
    if (secrets.isEmpty()) {
      return text.substring(0, Math.min(end, text.length()));
    }
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

  /**
   * Removes a secret's end from the start of text whose beginning was cut off: after the cut, a
   * proper suffix of a secret can remain there that {@link #mask(String)} cannot recognise.
   */
  public String stripLeadingFragment(String text) {
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
  public String stripTrailingFragment(String text) {
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

  private String secretAt(String text, int at) {
    for (String secret : secrets) {
      if (text.startsWith(secret, at)) {
        return secret;
      }
    }
    return null;
  }
}
