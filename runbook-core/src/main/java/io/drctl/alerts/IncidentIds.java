package io.drctl.alerts;

import java.nio.charset.StandardCharsets;

/**
 * The workflow id of the incident about one problem: {@code TYPE/TARGET}, e.g. {@code
 * database_failure/pg-primary}. Every alert about the same incident type and target reaches the
 * same workflow, so a storm of alerts starts one incident.
 *
 * <p>Escaping: the target keeps letters, digits, {@code -}, {@code _} and {@code .}; every other
 * byte of its UTF-8 form is written {@code %XX} (upper-case hex), so {@code /} becomes {@code %2F}
 * and the id splits back into type and target at its only {@code /}. Incident types are {@code
 * [a-z][a-z0-9_]*} and need no escaping; runbook target names need none either.
 */
public final class IncidentIds {
  private IncidentIds() {}

  public static String of(String incidentType, String target) {
    return incidentType + "/" + escape(target);
  }

  static String escape(String text) {
    StringBuilder out = new StringBuilder();
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '_'
          || c == '.') {
        out.append(c);
      } else {
        out.append('%').append(String.format(java.util.Locale.ROOT, "%02X", b & 0xff));
      }
    }
    return out.toString();
  }
}
