package io.drctl.activities.postgres;

import io.drctl.activities.ActionFailures;
import java.nio.charset.StandardCharsets;

/**
 * The one way a name from a step's input becomes part of SQL text or of a client tool's connection
 * string, where a bind parameter cannot stand (a database in {@code create database}, a {@code -d}
 * of pg_dump). A name is checked once ({@link #checked}) and then always quoted, so any other
 * character, a quote or a semicolon included, is part of the name.
 */
final class Identifiers {
  /** PostgreSQL's limit for a name (NAMEDATALEN - 1), in bytes. */
  static final int MAX_BYTES = 63;

  private Identifiers() {}

  /**
   * {@code name}, when PostgreSQL can hold it as it is: not empty, no control character (a NUL
   * cannot be sent at all; a newline would be a different name in every log and tool), at most
   * {@value #MAX_BYTES} bytes (longer names are silently truncated by the server).
   *
   * @throws io.temporal.failure.ApplicationFailure {@link ActionFailures#INVALID_INPUT} naming
   *     {@code field} and the value, control characters shown escaped
   */
  static String checked(String field, String name) {
    if (name == null || name.isEmpty()) {
      throw ActionFailures.invalidInput(field + " must not be empty");
    }
    if (name.chars().anyMatch(Character::isISOControl)) {
      throw ActionFailures.invalidInput(
          field
              + ": '"
              + visible(name)
              + "' contains a control character (NUL, newline, ...); a PostgreSQL name cannot carry it");
    }
    if (name.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      throw ActionFailures.invalidInput(
          field
              + ": '"
              + name
              + "' is longer than "
              + MAX_BYTES
              + " bytes, PostgreSQL's limit for a name");
    }
    return name;
  }

  /** {@code "name"}, for SQL: a quoted identifier, embedded double quotes doubled. */
  static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }

  /** {@code 'value'}, for a libpq connection string: backslashes and single quotes escaped. */
  static String connectionValue(String value) {
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  /**
   * A client tool's {@code -d} naming {@code database}: {@code dbname='...'}. A bare {@code -d}
   * holding an {@code =} or starting with {@code postgresql://} is read by libpq as a whole
   * connection string (another host, another user).
   */
  static String databaseArgument(String database) {
    return "dbname=" + connectionValue(database);
  }

  /** The database a {@link #databaseArgument} names; any other argument as it is. */
  static String databaseOf(String argument) {
    if (!argument.startsWith("dbname='") || !argument.endsWith("'") || argument.length() < 9) {
      return argument;
    }
    String quoted = argument.substring(8, argument.length() - 1);
    StringBuilder name = new StringBuilder(quoted.length());
    for (int i = 0; i < quoted.length(); i++) {
      char c = quoted.charAt(i);
      if (c == '\\' && i + 1 < quoted.length()) {
        c = quoted.charAt(++i);
      }
      name.append(c);
    }
    return name.toString();
  }

  /** {@code text} with control characters as escapes ({@code \n}, {@code \u0000}), for messages. */
  static String visible(String text) {
    StringBuilder shown = new StringBuilder(text.length());
    text.chars()
        .forEach(
            c -> {
              switch (c) {
                case '\n' -> shown.append("\\n");
                case '\r' -> shown.append("\\r");
                case '\t' -> shown.append("\\t");
                default ->
                    shown.append(
                        Character.isISOControl(c)
                            ? String.format("\\u%04x", c)
                            : String.valueOf((char) c));
              }
            });
    return shown.toString();
  }
}
