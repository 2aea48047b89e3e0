package io.drctl.activities.postgres;

import io.drctl.activities.ActionFailures;
import io.drctl.activities.backup.StoreSession;
import io.drctl.store.catalog.BackupMetadata;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * {@code postgres.verify} and {@code postgres.compare}: row counts and fingerprints ({@link
 * TableStats}), amcheck on B-tree indexes, and sample queries.
 */
final class DataVerification {
  private static final Duration SAMPLE_TIMEOUT = Duration.ofMinutes(5);

  /** SQLSTATE data_corrupted and index_corrupted: what amcheck and the buffer manager raise. */
  private static final List<String> CORRUPTION_STATES = List.of("XX001", "XX002");

  private final PostgresConnector connector;

  DataVerification(PostgresConnector connector) {
    this.connector = connector;
  }

  PostgresVerifyResult verify(PostgresVerifyInput input) {
    PostgresInputs.present("postgres.verify", input);
    PostgresTarget target =
        PostgresTarget.of(input.targets(), "target", input.target())
            .withDatabase("database", input.database());
    if (input.backupId() != null && input.store() == null) {
      throw ActionFailures.invalidInput(
          "backupId " + input.backupId() + " needs store: the backup store holding it");
    }
    Map<String, BackupMetadata.TableFingerprint> recorded =
        input.backupId() == null ? Map.of() : recorded(input, target);
    List<TableName> chosen =
        input.tables() != null
            ? PostgresInputs.tables("tables", input.tables())
            : input.backupId() != null
                ? PostgresInputs.tables("the backup's tables", List.copyOf(recorded.keySet()))
                : null;
    for (SampleQuery query : input.sampleQueries()) {
      if (query == null || query.sql() == null || query.sql().isBlank()) {
        throw ActionFailures.invalidInput("every sampleQueries entry needs sql");
      }
    }
    Progress progress = Progress.of("postgres.verify");
    List<Difference> differences = new ArrayList<>();
    int[] counts =
        new int[6]; // tables, rowMismatch, fingerprintMismatch, indexes, corrupt, queriesFailed
    long[] totalRows = new long[1];
    connector.with(
        target,
        "verifying",
        connection -> {
          connection.setAutoCommit(true);
          List<TableName> tables = chosen != null ? chosen : List.of();
          for (TableName table : tables) {
            progress.beat("counting " + table, counts[0]);
            if (!TableStats.exists(connection, table)) {
              differences.add(
                  new Difference("rowCount", table.toString(), "table exists", "missing"));
              counts[1]++;
              continue;
            }
            BackupMetadata.TableFingerprint expected = recorded.get(table.toString());
            boolean fingerprint =
                input.fingerprints() && expected != null && expected.checksum() != null;
            // The formula the backup recorded its fingerprint with (TableStats), older ones
            // included.
            TableStats.Stats stats =
                fingerprint
                    ? TableStats.like(connection, table, expected.checksum())
                    : TableStats.of(connection, table, false);
            totalRows[0] += stats.rows();
            counts[0]++;
            if (input.backupId() != null && expected == null) {
              differences.add(
                  new Difference(
                      "rowCount",
                      table.toString(),
                      "recorded in " + input.backupId(),
                      "not recorded"));
              counts[1]++;
            } else if (expected != null && expected.rowCount() != stats.rows()) {
              differences.add(
                  new Difference(
                      "rowCount",
                      table.toString(),
                      String.valueOf(expected.rowCount()),
                      String.valueOf(stats.rows())));
              counts[1]++;
            } else if (fingerprint && !expected.checksum().equals(stats.fingerprint())) {
              differences.add(
                  new Difference(
                      "fingerprint", table.toString(), expected.checksum(), stats.fingerprint()));
              counts[2]++;
            }
          }
          if (input.amcheck()) {
            checkIndexes(connection, chosen, input.thorough(), progress, differences, counts);
          }
          for (SampleQuery query : input.sampleQueries()) {
            progress.beat("sample query " + query.label(), counts[5]);
            Difference failed = sample(connection, query);
            if (failed != null) {
              differences.add(failed);
              counts[5]++;
            }
            connection.setAutoCommit(true);
          }
          return null;
        });
    boolean ok = differences.isEmpty();
    String summary = differences.stream().map(Difference::line).collect(Collectors.joining("\n"));
    PostgresVerifyResult result =
        new PostgresVerifyResult(
            ok,
            counts[0],
            totalRows[0],
            counts[1],
            counts[2],
            counts[3],
            counts[4],
            counts[5],
            differences,
            ok ? "all checks passed" : summary);
    if (!ok && input.failOnMismatch()) {
      throw ActionFailures.nonRetryable(
          PostgresFailures.VERIFICATION_FAILED,
          target.describe() + " failed " + differences.size() + " check(s):\n" + summary,
          result);
    }
    return result;
  }

  /** The row counts and fingerprints the backup's metadata recorded, by {@code schema.table}. */
  private Map<String, BackupMetadata.TableFingerprint> recorded(
      PostgresVerifyInput input, PostgresTarget target) {
    try (StoreSession store =
        StoreSession.open(input.targets(), "store", input.store(), connector.secrets())) {
      BackupMetadata backup = LogicalBackup.selectDump(store, input.backupId()).metadata();
      Map<String, BackupMetadata.TableFingerprint> fingerprints =
          backup.fingerprints() == null ? Map.of() : backup.fingerprints();
      if (fingerprints.isEmpty()) {
        throw ActionFailures.nonRetryable(
            PostgresFailures.VERIFICATION_FAILED,
            "backup "
                + backup.backupId()
                + " recorded no row counts: it cannot be compared with "
                + target.describe());
      }
      return fingerprints;
    } catch (io.drctl.store.StoreException e) {
      throw io.drctl.activities.backup.BackupFailures.of(e);
    }
  }

  private static void checkIndexes(
      Connection connection,
      List<TableName> tables,
      boolean thorough,
      Progress progress,
      List<Difference> differences,
      int[] counts)
      throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute("create extension if not exists amcheck");
    }
    List<String> indexes = new ArrayList<>();
    try (PreparedStatement statement =
        connection.prepareStatement(
            "select c.oid::regclass::text from pg_index i join pg_class c on c.oid = i.indexrelid"
                + " join pg_am am on am.oid = c.relam join pg_namespace n on n.oid = c.relnamespace"
                + " where am.amname = 'btree' and i.indisvalid and i.indisready and c.relpersistence <> 't'"
                + " and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname !~ '^pg_toast'"
                + " and (? or i.indrelid = any (?::regclass[])) order by 1")) {
      statement.setBoolean(1, tables == null);
      statement.setArray(
          2,
          connection.createArrayOf(
              "text",
              tables == null
                  ? new String[0]
                  : tables.stream().map(TableName::quoted).toArray(String[]::new)));
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          indexes.add(rows.getString(1));
        }
      }
    }
    String check =
        thorough ? "bt_index_parent_check(?::regclass, true)" : "bt_index_check(?::regclass)";
    for (String index : indexes) {
      progress.beat("amcheck " + index, counts[3]);
      try (PreparedStatement statement = connection.prepareStatement("select " + check)) {
        statement.setString(1, index);
        statement.execute();
      } catch (SQLException e) {
        if (!CORRUPTION_STATES.contains(e.getSQLState())) {
          throw e;
        }
        counts[4]++;
        differences.add(
            new Difference("amcheck", index, "intact", PostgresFailures.firstLine(e.getMessage())));
      }
      counts[3]++;
    }
  }

  /** Runs one sample query read only; the finding, or {@code null} when it passed. */
  private static Difference sample(Connection connection, SampleQuery query) {
    String expected = query.expected() == null ? "success" : String.valueOf(query.expected());
    try {
      ReadOnlySession.begin(connection, SAMPLE_TIMEOUT);
      try (Statement statement = connection.createStatement();
          ResultSet rows = statement.executeQuery(query.sql())) {
        String actual =
            rows.next() ? ServerChecks.text(rows, 1, rows.getMetaData().getColumnType(1)) : null;
        connection.rollback();
        if (query.expected() == null || matches(query.expected(), actual)) {
          return null;
        }
        return new Difference(
            "query", query.label(), expected, actual == null ? "no rows" : actual);
      }
    } catch (SQLException e) {
      try {
        connection.rollback();
      } catch (SQLException ignored) {
        // the connection is broken; the next statement reports it
      }
      return new Difference(
          "query", query.label(), expected, "error: " + PostgresFailures.firstLine(e.getMessage()));
    }
  }

  static boolean matches(Object expected, String actual) {
    if (actual == null) {
      return false;
    }
    if (expected instanceof Number number) {
      try {
        return new BigDecimal(number.toString()).compareTo(new BigDecimal(actual.strip())) == 0;
      } catch (NumberFormatException notANumber) {
        return false;
      }
    }
    if (expected instanceof Boolean bool) {
      return bool.toString().equals(actual) || (bool ? "t" : "f").equals(actual);
    }
    return Objects.equals(expected.toString(), actual);
  }

  PostgresCompareResult compare(PostgresCompareInput input) {
    PostgresInputs.present("postgres.compare", input);
    PostgresTarget source =
        PostgresTarget.of(input.targets(), "source", input.source())
            .withDatabase("sourceDatabase", input.sourceDatabase());
    PostgresTarget target =
        PostgresTarget.of(input.targets(), "target", input.target())
            .withDatabase("targetDatabase", input.targetDatabase());
    List<TableName> tables =
        PostgresInputs.tables("tables", input.tables() == null ? List.of() : input.tables());
    if (tables.isEmpty()) {
      throw ActionFailures.invalidInput("tables is empty: name the tables to compare");
    }
    Progress progress = Progress.of("postgres.compare");
    List<TableStats.Stats> sourceStats = stats(source, tables, progress, "source");
    List<TableStats.Stats> targetStats = stats(target, tables, progress, "target");
    List<TableComparison> comparisons = new ArrayList<>();
    long sourceRows = 0;
    long targetRows = 0;
    int differing = 0;
    StringBuilder summary = new StringBuilder();
    for (int i = 0; i < tables.size(); i++) {
      TableStats.Stats from = sourceStats.get(i);
      TableStats.Stats to = targetStats.get(i);
      boolean identical = from.rows() == to.rows() && from.fingerprint().equals(to.fingerprint());
      comparisons.add(
          new TableComparison(tables.get(i).toString(), from.rows(), to.rows(), identical));
      sourceRows += from.rows();
      targetRows += to.rows();
      differing += identical ? 0 : 1;
      summary
          .append(summary.length() == 0 ? "" : "\n")
          .append(tables.get(i))
          .append(' ')
          .append(from.rows())
          .append('/')
          .append(to.rows())
          .append(" rows")
          .append(identical ? ", identical" : ", differs");
    }
    PostgresCompareResult result =
        new PostgresCompareResult(
            differing == 0,
            sourceRows,
            targetRows,
            sourceRows - targetRows,
            differing,
            comparisons,
            summary.toString());
    if (differing > 0 && input.failOnDifference()) {
      throw ActionFailures.nonRetryable(
          PostgresFailures.TABLES_DIFFER,
          differing
              + " table(s) differ between "
              + source.describe()
              + " and "
              + target.describe()
              + ":\n"
              + summary,
          result);
    }
    return result;
  }

  private List<TableStats.Stats> stats(
      PostgresTarget server, List<TableName> tables, Progress progress, String side) {
    return connector.with(
        server,
        "fingerprinting tables",
        connection -> {
          List<TableStats.Stats> stats = new ArrayList<>();
          for (TableName table : tables) {
            progress.beat("fingerprinting " + table + " on " + side, stats.size());
            if (!TableStats.exists(connection, table)) {
              throw ActionFailures.nonRetryable(
                  PostgresFailures.TABLE_MISSING,
                  "table " + table + " does not exist on " + server.describe());
            }
            stats.add(TableStats.of(connection, table, true));
          }
          return stats;
        });
  }
}
