package io.drctl.activities.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Row counts and content fingerprints of tables. The fingerprint is exactly
 * {@code md5(string_agg(md5(t::text), '' ORDER BY t.id))} over {@code table t}, the formula of
 * the sandbox's dataset manifest ({@code drctl_dataset.manifest}); a table without an {@code id}
 * column is ordered by {@code t::text} instead. An empty table's fingerprint is the empty string.
 */
final class TableStats {
  /** Row count and fingerprint of one table. */
  record Stats(TableName table, long rows, String fingerprint) {}

  private TableStats() {}

  /** Whether the table exists (a table, partitioned table or materialised view). */
  static boolean exists(Connection connection, TableName table) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(
        "select to_regclass(?) is not null")) {
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
        ResultSet rows = statement.executeQuery(
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

  /** Counts the table's rows; with {@code fingerprint} also computes its fingerprint (one scan). */
  static Stats of(Connection connection, TableName table, boolean fingerprint) throws SQLException {
    String sql;
    if (!fingerprint) {
      sql = "select count(*), null from " + table.quoted() + " t";
    } else {
      String order = hasIdColumn(connection, table) ? "t.id" : "t::text";
      sql = "select count(*), md5(string_agg(md5(t::text), '' ORDER BY " + order + ")) from "
          + table.quoted() + " t";
    }
    try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      String value = rows.getString(2);
      return new Stats(table, rows.getLong(1), value == null ? "" : value);
    }
  }

  private static boolean hasIdColumn(Connection connection, TableName table) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(
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
