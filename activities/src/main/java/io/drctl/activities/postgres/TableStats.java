package io.drctl.activities.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Row counts and content fingerprints of tables. A fingerprint names the formula that made it by a
 * prefix, so that a backup's recorded fingerprints are always recomputed the way they were made
 * ({@link #like}):
 *
 * <ul>
 *   <li>{@code record-hash-sum:<n>} (the current one): {@code
 *       sum(hashint8extended(hash_record_extended(t, 0), 0))} over {@code table t}, the exact
 *       (numeric) sum of a 64-bit hash of every row, hashed column by column with each type's own
 *       extended hash function, then mixed once more (the record hash alone is linear in its
 *       columns' hashes, so its sum would not change when values swap rows). Needs no sort, no md5
 *       and no text output of the rows, so it is cheap enough to run beside pg_dump; and, unlike
 *       {@code t::text}, it does not depend on the session's DateStyle, TimeZone or
 *       extra_float_digits. Order independent: rows need no key. A changed value or a value swapped
 *       between rows changes a row's hash; together with the row count, a missing or duplicated row
 *       changes the sum (a sum, unlike an XOR, does not cancel a row that appears twice). Values
 *       that the type itself calls equal hash alike ({@code 1.0} and {@code 1.00} as numeric,
 *       citext in other case), as they compare equal.
 *   <li>{@code text-hash-sum:<n>}: {@code sum(hashtextextended(t::text, 0))}, the same over the
 *       rows' text, for tables with a column type that has no extended hash function (json, point,
 *       xml...).
 *   <li>32 hex digits without prefix (backups made before 2026-11-27 18:30 UTC): {@code
 *       md5(string_agg(md5(t::text), '' ORDER BY t.id))}, the formula of the sandbox's dataset
 *       manifest, ordered by {@code t::text} when the table has no {@code id} column. Still
 *       computed to verify those backups; no longer produced.
 * </ul>
 *
 * An empty table's fingerprint is the empty string whatever the formula.
 */
final class TableStats {
  static final String RECORD_HASH_SUM = "record-hash-sum:";
  static final String TEXT_HASH_SUM = "text-hash-sum:";

  /**
   * hash_record_extended combines its columns' hashes linearly (h = 31 h + column hash), so a plain
   * sum of it is a sum per column, blind to values swapped between rows: hashing it again mixes.
   */
  private static final String RECORD_HASH = "sum(hashint8extended(hash_record_extended(t, 0), 0))";

  /** SQLSTATE undefined_function: "could not identify an extended hash function for type json". */
  private static final String NO_HASH_FUNCTION = "42883";

  /** Row count and fingerprint of one table. */
  record Stats(TableName table, long rows, String fingerprint) {}

  private TableStats() {}

  /** Whether the table exists (a table, partitioned table or materialised view). */
  static boolean exists(Connection connection, TableName table) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement("select to_regclass(?) is not null")) {
      statement.setString(1, table.quoted());
      try (ResultSet rows = statement.executeQuery()) {
        rows.next();
        return rows.getBoolean(1);
      }
    }
  }

  /** Every ordinary and partitioned table outside the system schemas, by schema and name. */
  static List<TableName> userTables(Connection connection) throws SQLException {
    List<TableName> tables = new ArrayList<>();
    try (Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "select n.nspname, c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace"
                    + " where c.relkind in ('r', 'p') and not c.relispartition"
                    + " and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname !~ '^pg_toast'"
                    + " order by 1, 2")) {
      while (rows.next()) {
        tables.add(new TableName(rows.getString(1), rows.getString(2)));
      }
    }
    return tables;
  }

  /**
   * Counts the table's rows; with {@code fingerprint} also computes its fingerprint with the
   * current formula (one scan): {@code record-hash-sum}, or {@code text-hash-sum} when a column
   * type cannot be hashed. Inside a transaction, the failed attempt is rolled back to a savepoint,
   * so the transaction (and its snapshot) lives on.
   */
  static Stats of(Connection connection, TableName table, boolean fingerprint) throws SQLException {
    if (!fingerprint) {
      return scan(connection, table, "", "null");
    }
    Savepoint savepoint = connection.getAutoCommit() ? null : connection.setSavepoint();
    try {
      Stats stats = scan(connection, table, RECORD_HASH_SUM, RECORD_HASH);
      if (savepoint != null) {
        connection.releaseSavepoint(savepoint);
      }
      return stats;
    } catch (SQLException e) {
      if (!NO_HASH_FUNCTION.equals(e.getSQLState())) {
        throw e;
      }
      if (savepoint != null) {
        connection.rollback(savepoint);
      }
      return scan(connection, table, TEXT_HASH_SUM, "sum(hashtextextended(t::text, 0))");
    }
  }

  /**
   * Counts the table's rows and computes its fingerprint with the formula {@code recorded} was made
   * with (see the class comment), to compare the two. An empty {@code recorded} (an empty table)
   * needs only the count.
   */
  static Stats like(Connection connection, TableName table, String recorded) throws SQLException {
    if (recorded.isEmpty()) {
      return scan(connection, table, "", "null");
    }
    if (recorded.startsWith(RECORD_HASH_SUM)) {
      return scan(connection, table, RECORD_HASH_SUM, RECORD_HASH);
    }
    if (recorded.startsWith(TEXT_HASH_SUM)) {
      return scan(connection, table, TEXT_HASH_SUM, "sum(hashtextextended(t::text, 0))");
    }
    String order = hasIdColumn(connection, table) ? "t.id" : "t::text";
    return scan(connection, table, "", "md5(string_agg(md5(t::text), '' ORDER BY " + order + "))");
  }

  private static Stats scan(Connection connection, TableName table, String prefix, String formula)
      throws SQLException {
    String sql = "select count(*), (" + formula + ")::text from " + table.quoted() + " t";
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      String value = rows.getString(2);
      return new Stats(table, rows.getLong(1), value == null ? "" : prefix + value);
    }
  }

  private static boolean hasIdColumn(Connection connection, TableName table) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "select exists (select 1 from pg_attribute where attrelid = to_regclass(?)"
                + " and attname = 'id' and attnum > 0 and not attisdropped)")) {
      statement.setString(1, table.quoted());
      try (ResultSet rows = statement.executeQuery()) {
        rows.next();
        return rows.getBoolean(1);
      }
    }
  }
}
