package io.drctl.interpreter;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Identities as people. The Temporal Web UI records its signed-in user's e-mail address in the
 * identity of what it does, with a marker of its own around it (for example {@code
 * alice@example.com - webui}); an operator names themselves {@code alice@example.com} or {@code
 * Alice@Example.com}. Both are the same person.
 */
final class Identities {
  private static final Pattern EMAIL =
      Pattern.compile("[^\\s<>()\\[\\]\"',;:]+@[^\\s<>()\\[\\]\"',;:]+");

  private Identities() {}

  /** The e-mail address in {@code identity}, or the identity itself, trimmed; lower case. */
  static String person(String identity) {
    Matcher email = EMAIL.matcher(identity);
    return (email.find() ? email.group() : identity.trim()).toLowerCase(Locale.ROOT);
  }

  static boolean samePerson(String a, String b) {
    return a != null && b != null && person(a).equals(person(b));
  }
}
