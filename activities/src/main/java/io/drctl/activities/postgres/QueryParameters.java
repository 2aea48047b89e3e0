package io.drctl.activities.postgres;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a query with PostgreSQL's {@code $1, $2...} placeholders into JDBC's {@code ?} form and
 * binds the values. Placeholders inside string literals, quoted identifiers, dollar-quoted bodies
 * and comments are left alone. Strings are bound untyped, so the server infers their type from the
 * context ({@code id = $1} with {@code "42"} works), as psql's variables do.
 */
final class QueryParameters {
  private final String sql;
  private final List<Integer> order;

  private QueryParameters(String sql, List<Integer> order) {
    this.sql = sql;
    this.order = order;
  }

  static QueryParameters parse(String text) {
    StringBuilder out = new StringBuilder(text.length());
    List<Integer> order = new ArrayList<>();
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '\'' || c == '"') {
        int end = text.indexOf(c, i + 1);
        end = end < 0 ? text.length() : end + 1;
        out.append(text, i, end);
        i = end;
      } else if (c == '-' && text.startsWith("--", i)) {
        int end = text.indexOf('\n', i);
        end = end < 0 ? text.length() : end;
        out.append(text, i, end);
        i = end;
      } else if (c == '/' && text.startsWith("/*", i)) {
        int end = text.indexOf("*/", i + 2);
        end = end < 0 ? text.length() : end + 2;
        out.append(text, i, end);
        i = end;
      } else if (c == '$' && i + 1 < text.length() && Character.isDigit(text.charAt(i + 1))) {
        int end = i + 1;
        while (end < text.length() && Character.isDigit(text.charAt(end))) {
          end++;
        }
        order.add(Integer.parseInt(text.substring(i + 1, end)));
        out.append('?');
        i = end;
      } else if (c == '$') {
        int close = text.indexOf('$', i + 1);
        String tag = close < 0 ? null : text.substring(i, close + 1);
        if (tag != null && tag.matches("\\$[A-Za-z_]?[A-Za-z0-9_]*\\$")) {
          int end = text.indexOf(tag, close + 1);
          end = end < 0 ? text.length() : end + tag.length();
          out.append(text, i, end);
          i = end;
        } else {
          out.append(c);
          i++;
        }
      } else {
        out.append(c);
        i++;
      }
    }
    return new QueryParameters(out.toString(), List.copyOf(order));
  }

  /** The SQL with {@code ?} placeholders. */
  String sql() {
    return sql;
  }

  /** The highest placeholder number used ({@code $3} gives 3), 0 for none. */
  int highest() {
    return order.stream().mapToInt(Integer::intValue).max().orElse(0);
  }

  /**
   * Fails with {@link io.drctl.activities.ActionFailures#INVALID_INPUT} naming the value when one
   * holds a NUL, which no PostgreSQL text can (the server would reject the whole statement with an
   * encoding error). Every other character is bound as it is.
   */
  static void checkValues(List<Object> values) {
    for (int index = 0; index < values.size(); index++) {
      Object value = values.get(index);
      if (value != null && String.valueOf(value).indexOf('\0') >= 0) {
        throw io.drctl.activities.ActionFailures.invalidInput(
            "parameters["
                + index
                + "] ($"
                + (index + 1)
                + ") contains a NUL character, which PostgreSQL text cannot hold");
      }
    }
  }

  void bind(PreparedStatement statement, List<Object> values) throws SQLException {
    for (int position = 0; position < order.size(); position++) {
      Object value = values.get(order.get(position) - 1);
      int index = position + 1;
      if (value == null) {
        statement.setNull(index, Types.NULL);
      } else if (value instanceof Boolean bool) {
        statement.setBoolean(index, bool);
      } else if (value instanceof Integer || value instanceof Long) {
        statement.setLong(index, ((Number) value).longValue());
      } else if (value instanceof Number number) {
        statement.setBigDecimal(index, new java.math.BigDecimal(number.toString()));
      } else {
        statement.setObject(index, value.toString(), Types.OTHER);
      }
    }
  }
}
