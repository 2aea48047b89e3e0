package io.drctl.activities.postgres;

import io.drctl.activities.ActionFailures;
import java.util.regex.Pattern;

/**
 * A table as a step names it: {@code schema.table}, or {@code table} in schema {@code public}. Only
 * plain identifiers are accepted (letters, digits, underscore, dollar; a quoted name needs no
 * quotes here), so the name can be quoted into SQL safely. Immutable.
 *
 * @param schema schema name, as stored in the catalog
 * @param table table name, as stored in the catalog
 */
public record TableName(String schema, String table) {
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]{0,62}");

  static TableName parse(String field, String text) {
    String[] parts = text.split("\\.", -1);
    if (parts.length > 2 || !valid(parts[0]) || (parts.length == 2 && !valid(parts[1]))) {
      throw ActionFailures.invalidInput(
          field
              + ": '"
              + text
              + "' is not a table name (schema.table or table, plain identifiers)");
    }
    return parts.length == 2
        ? new TableName(parts[0], parts[1])
        : new TableName("public", parts[0]);
  }

  private static boolean valid(String identifier) {
    return IDENTIFIER.matcher(identifier).matches();
  }

  /** {@code "schema"."table"}, for SQL. */
  String quoted() {
    return Identifiers.quote(schema) + "." + Identifiers.quote(table);
  }

  /** {@code schema.table}. */
  @Override
  public String toString() {
    return schema + "." + table;
  }
}
