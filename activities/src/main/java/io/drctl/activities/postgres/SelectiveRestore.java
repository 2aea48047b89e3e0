package io.drctl.activities.postgres;

import io.drctl.activities.ActionFailures;
import io.drctl.activities.process.OwnedTempDirectory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.postgresql.PGConnection;

/**
 * {@code postgres.selectiveRestore}: copies the chosen tables' rows from a recovered copy (staging)
 * into production in ONE transaction on production: constraints deferred, tables locked (with
 * lock_timeout), rows replaced or upserted through {@code COPY} (binary, so values round-trip
 * exactly), sequences moved forward. Any error, including a foreign key violation at commit, rolls
 * everything back. The source is read first, each table with {@code COPY ... TO STDOUT} into a
 * temporary file, in one REPEATABLE READ snapshot.
 */
final class SelectiveRestore {
  private final PostgresConnector connector;

  SelectiveRestore(PostgresConnector connector) {
    this.connector = connector;
  }

  PostgresSelectiveRestoreResult restore(PostgresSelectiveRestoreInput input) {
    PostgresInputs.present("postgres.selectiveRestore", input);
    PostgresTarget source = PostgresTarget.of(input.targets(), "source", input.source());
    PostgresTarget target = PostgresTarget.of(input.targets(), "target", input.target());
    List<TableName> tables =
        PostgresInputs.tables("tables", input.tables() == null ? List.of() : input.tables());
    if (tables.isEmpty()) {
      throw ActionFailures.invalidInput("tables is empty: name the tables to copy");
    }
    if (!"replace".equals(input.mode()) && !"upsert".equals(input.mode())) {
      throw ActionFailures.invalidInput("mode must be replace or upsert, was " + input.mode());
    }
    Duration lockTimeout = PostgresInputs.duration("lockTimeout", input.lockTimeout());
    Progress progress = Progress.of("postgres.selectiveRestore");
    List<Path> copies = new ArrayList<>();
    Path scratch;
    try {
      scratch = OwnedTempDirectory.create("drctl-selective-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      List<List<String>> sourceColumns = new ArrayList<>();
      connector.with(
          source,
          "reading the source tables",
          connection -> {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
              statement.execute("set transaction isolation level repeatable read, read only");
            }
            for (TableName table : tables) {
              requireTable(connection, table, source);
              sourceColumns.add(columns(connection, table));
              progress.beat("reading " + table + " from " + source.name(), copies.size());
              try {
                Path file = scratch.resolve("table-" + copies.size() + ".copy");
                copies.add(file);
                try (OutputStream out = Files.newOutputStream(file)) {
                  connection
                      .unwrap(PGConnection.class)
                      .getCopyAPI()
                      .copyOut(
                          "COPY "
                              + table.quoted()
                              + " ("
                              + columnList(sourceColumns.get(sourceColumns.size() - 1))
                              + ") TO STDOUT (FORMAT binary)",
                          out);
                }
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            }
            connection.rollback();
            return null;
          });
      return connector.with(
          target,
          "copying tables into " + target.name(),
          connection ->
              copyIn(
                  connection, input, target, tables, sourceColumns, copies, lockTimeout, progress));
    } finally {
      OwnedTempDirectory.delete(scratch);
    }
  }

  private static PostgresSelectiveRestoreResult copyIn(
      Connection connection,
      PostgresSelectiveRestoreInput input,
      PostgresTarget target,
      List<TableName> tables,
      List<List<String>> sourceColumns,
      List<Path> copies,
      Duration lockTimeout,
      Progress progress)
      throws SQLException {
    connection.setAutoCommit(false);
    long before = 0;
    long deleted = 0;
    long inserted = 0;
    try (Statement statement = connection.createStatement()) {
      statement.execute("set local lock_timeout = " + Math.max(1, lockTimeout.toMillis()));
      statement.execute("set constraints all deferred");
      for (int i = 0; i < tables.size(); i++) {
        requireTable(connection, tables.get(i), target);
        List<String> columns = columns(connection, tables.get(i));
        if (!columns.equals(sourceColumns.get(i))) {
          throw ActionFailures.nonRetryable(
              "SchemaMismatch",
              "table "
                  + tables.get(i)
                  + " has columns "
                  + columns
                  + " on "
                  + target.name()
                  + " but "
                  + sourceColumns.get(i)
                  + " on the source");
        }
      }
      statement.execute(
          "lock table "
              + tables.stream().map(TableName::quoted).collect(Collectors.joining(", "))
              + " in access exclusive mode");
      for (int i = 0; i < tables.size(); i++) {
        TableName table = tables.get(i);
        progress.beat("copying " + table, inserted);
        before += count(connection, table);
        String columns = columnList(sourceColumns.get(i));
        if ("replace".equals(input.mode())) {
          deleted += statement.executeUpdate("delete from " + table.quoted());
          inserted +=
              copyFile(
                  connection,
                  "COPY " + table.quoted() + " (" + columns + ") FROM STDIN (FORMAT binary)",
                  copies.get(i));
        } else {
          List<String> key = primaryKey(connection, table);
          if (key.isEmpty()) {
            throw ActionFailures.nonRetryable(
                "SchemaMismatch",
                "table " + table + " has no primary key: upsert" + " needs one (use mode replace)");
          }
          statement.execute(
              "create temp table drctl_selective (like " + table.quoted() + ") on commit drop");
          inserted +=
              copyFile(
                  connection,
                  "COPY drctl_selective (" + columns + ") FROM STDIN (FORMAT binary)",
                  copies.get(i));
          String keyList = columnList(key);
          try (ResultSet rows =
              statement.executeQuery(
                  "select count(*) from drctl_selective s where exists"
                      + " (select 1 from "
                      + table.quoted()
                      + " t where ("
                      + qualified("t", key)
                      + ") = ("
                      + qualified("s", key)
                      + "))")) {
            rows.next();
            deleted += rows.getLong(1);
          }
          List<String> others =
              sourceColumns.get(i).stream()
                  .map(column -> column.split(" ", 2)[0])
                  .filter(column -> !key.contains(column))
                  .toList();
          statement.execute(
              "insert into "
                  + table.quoted()
                  + " ("
                  + columns
                  + ") select "
                  + columns
                  + " from drctl_selective on conflict ("
                  + keyList
                  + ") do "
                  + (others.isEmpty()
                      ? "nothing"
                      : "update set "
                          + others.stream()
                              .map(
                                  column ->
                                      Identifiers.quote(column)
                                          + " = excluded."
                                          + Identifiers.quote(column))
                              .collect(Collectors.joining(", "))));
          statement.execute("drop table drctl_selective");
        }
        moveSequencesForward(connection, table);
      }
      long after = 0;
      for (TableName table : tables) {
        after += count(connection, table);
      }
      boolean commit = !input.dryRun();
      if (commit) {
        statement.execute(
            "set constraints all immediate"); // deferred violations surface here, classified
        connection.commit();
      } else {
        connection.rollback();
      }
      return new PostgresSelectiveRestoreResult(
          commit, tables.size(), before, deleted, inserted, after, progress.elapsedSeconds());
    } catch (SQLException e) {
      connection.rollback();
      String state = e.getSQLState() == null ? "" : e.getSQLState();
      if ("55P03".equals(state)) {
        throw ActionFailures.retryable(
            "LockTimeout",
            "could not lock "
                + tables
                + " on "
                + target.describe()
                + " within "
                + input.lockTimeout()
                + "; nothing was changed");
      }
      if ("23503".equals(state)) {
        throw ActionFailures.nonRetryable(
            "ForeignKeyViolation",
            "copying "
                + tables
                + " into "
                + target.describe()
                + " breaks a foreign key; nothing was changed: "
                + PostgresFailures.firstLine(e.getMessage()));
      }
      throw e;
    }
  }

  private static long copyFile(Connection connection, String sql, Path file) throws SQLException {
    try (InputStream in = Files.newInputStream(file)) {
      return connection.unwrap(PGConnection.class).getCopyAPI().copyIn(sql, in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void moveSequencesForward(Connection connection, TableName table)
      throws SQLException {
    List<String[]> sequences = new ArrayList<>();
    try (PreparedStatement statement =
        connection.prepareStatement(
            "select a.attname, pg_get_serial_sequence(?, a.attname) from pg_attribute a"
                + " where a.attrelid = to_regclass(?) and a.attnum > 0 and not a.attisdropped"
                + " and pg_get_serial_sequence(?, a.attname) is not null")) {
      statement.setString(1, table.quoted());
      statement.setString(2, table.quoted());
      statement.setString(3, table.quoted());
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          sequences.add(new String[] {rows.getString(1), rows.getString(2)});
        }
      }
    }
    for (String[] sequence : sequences) {
      try (PreparedStatement statement =
          connection.prepareStatement(
              "select setval(?::regclass, greatest("
                  + "(select max("
                  + Identifiers.quote(sequence[0])
                  + ")::int8 from "
                  + table.quoted()
                  + "),"
                  + " (select last_value from "
                  + sequence[1]
                  + ")))")) {
        statement.setString(1, sequence[1]);
        statement.execute();
      }
    }
  }

  private static void requireTable(Connection connection, TableName table, PostgresTarget server)
      throws SQLException {
    if (!TableStats.exists(connection, table)) {
      throw ActionFailures.nonRetryable(
          PostgresFailures.TABLE_MISSING,
          "table " + table + " does not exist on " + server.describe());
    }
  }

  /** Column names with their types, in order, e.g. {@code id integer}. */
  private static List<String> columns(Connection connection, TableName table) throws SQLException {
    return names(
        connection,
        "select a.attname || ' ' || format_type(a.atttypid, a.atttypmod) from pg_attribute a"
            + " where a.attrelid = to_regclass(?) and a.attnum > 0 and not a.attisdropped and a.attgenerated = ''"
            + " order by a.attnum",
        table);
  }

  private static List<String> primaryKey(Connection connection, TableName table)
      throws SQLException {
    return names(
        connection,
        "select a.attname from pg_index i join pg_attribute a on a.attrelid = i.indrelid"
            + " and a.attnum = any (i.indkey) where i.indrelid = to_regclass(?) and i.indisprimary order by a.attnum",
        table);
  }

  private static List<String> names(Connection connection, String sql, TableName table)
      throws SQLException {
    List<String> names = new ArrayList<>();
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, table.quoted());
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          names.add(rows.getString(1));
        }
      }
    }
    return names;
  }

  private static long count(Connection connection, TableName table) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("select count(*) from " + table.quoted())) {
      rows.next();
      return rows.getLong(1);
    }
  }

  /** The quoted column names of {@code name type} entries (or plain names). */
  private static String columnList(List<String> columns) {
    return columns.stream()
        .map(column -> Identifiers.quote(column.split(" ", 2)[0]))
        .collect(Collectors.joining(", "));
  }

  private static String qualified(String alias, List<String> columns) {
    return columns.stream()
        .map(column -> alias + "." + Identifiers.quote(column))
        .collect(Collectors.joining(", "));
  }
}
