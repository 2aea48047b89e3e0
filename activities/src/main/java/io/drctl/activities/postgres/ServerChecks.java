package io.drctl.activities.postgres;

import io.drctl.activities.ActionFailures;
import io.drctl.activities.docker.DockerBackend;
import io.drctl.activities.docker.DockerExecInput;
import io.drctl.activities.docker.DockerExecResult;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code postgres.isReady}, {@code query}, {@code connectionStats} and {@code diskUsage}. */
final class ServerChecks {
  private final PostgresConnector connector;
  private final DockerBackend docker;

  ServerChecks(PostgresConnector connector, DockerBackend docker) {
    this.connector = connector;
    this.docker = docker;
  }

  PostgresIsReadyResult isReady(PostgresIsReadyInput input) {
    PostgresInputs.present("postgres.isReady", input);
    PostgresTarget target = PostgresTarget.of(input.targets(), "target", input.target());
    Duration connectTimeout = PostgresInputs.duration("connectTimeout", input.connectTimeout());
    Progress progress = Progress.of("postgres.isReady");
    progress.beat("connecting", 0);
    long started = System.nanoTime();
    try {
      return connector.with(
          target,
          "connecting",
          connectTimeout,
          connection -> {
            try (Statement statement = connection.createStatement();
                ResultSet rows =
                    statement.executeQuery(
                        "select 1, pg_is_in_recovery(), current_setting('server_version')")) {
              rows.next();
              return new PostgresIsReadyResult(
                  true,
                  rows.getBoolean(2),
                  rows.getString(3),
                  (System.nanoTime() - started) / 1_000_000);
            }
          });
    } catch (ApplicationFailure failure) {
      // A server that answers without the target's database (a re-initialised primary) is not
      // ready for the application either: the incident must restore it.
      if (!input.failIfNotReady()
          && (PostgresFailures.SERVER_UNAVAILABLE.equals(failure.getType())
              || PostgresFailures.DATABASE_MISSING.equals(failure.getType()))) {
        return new PostgresIsReadyResult(
            false, false, "", (System.nanoTime() - started) / 1_000_000);
      }
      throw failure;
    }
  }

  PostgresQueryResult query(PostgresQueryInput input) {
    PostgresInputs.present("postgres.query", input);
    PostgresTarget target =
        PostgresTarget.of(input.targets(), "target", input.target())
            .withDatabase("database", input.database());
    if (input.sql() == null || input.sql().isBlank()) {
      throw ActionFailures.invalidInput("sql is missing");
    }
    Duration timeout = PostgresInputs.duration("statementTimeout", input.statementTimeout());
    long maxRows = PostgresInputs.atLeast("maxRows", input.maxRows(), 1);
    QueryParameters parameters = QueryParameters.parse(input.sql());
    if (parameters.highest() > input.parameters().size()) {
      throw ActionFailures.invalidInput(
          "sql uses $"
              + parameters.highest()
              + " but parameters has "
              + input.parameters().size()
              + " value(s)");
    }
    QueryParameters.checkValues(input.parameters());
    Progress.of("postgres.query").beat("querying", 0);
    return connector.with(
        target,
        "query",
        connection -> {
          ReadOnlySession.begin(connection, timeout);
          long started = System.nanoTime();
          try (PreparedStatement statement = connection.prepareStatement(parameters.sql())) {
            statement.setMaxRows((int) Math.min(Integer.MAX_VALUE, maxRows));
            parameters.bind(statement, input.parameters());
            boolean hasRows = statement.execute();
            List<String> columns = new ArrayList<>();
            Map<String, Object> firstRow = new LinkedHashMap<>();
            String firstValue = "";
            int count = 0;
            if (hasRows) {
              try (ResultSet rows = statement.getResultSet()) {
                ResultSetMetaData meta = rows.getMetaData();
                for (int column = 1; column <= meta.getColumnCount(); column++) {
                  columns.add(meta.getColumnLabel(column));
                }
                while (rows.next()) {
                  if (count == 0) {
                    for (int column = 1; column <= meta.getColumnCount(); column++) {
                      firstRow.put(
                          meta.getColumnLabel(column),
                          jsonValue(rows, column, meta.getColumnType(column)));
                    }
                    firstValue = columns.isEmpty() ? "" : text(rows, 1, meta.getColumnType(1));
                  }
                  count++;
                }
              }
            }
            connection.rollback();
            return new PostgresQueryResult(
                count, columns, firstRow, firstValue, (System.nanoTime() - started) / 1_000_000);
          }
        });
  }

  PostgresConnectionStatsResult connectionStats(PostgresConnectionStatsInput input) {
    PostgresInputs.present("postgres.connectionStats", input);
    PostgresTarget target = PostgresTarget.of(input.targets(), "target", input.target());
    double warnRatio = PostgresInputs.ratio("warnRatio", input.warnRatio());
    Duration maxAge = PostgresInputs.duration("maxTransactionAge", input.maxTransactionAge());
    Progress.of("postgres.connectionStats").beat("reading pg_stat_activity", 0);
    PostgresConnectionStatsResult result =
        connector.with(
            target,
            "reading pg_stat_activity",
            connection -> {
              try (Statement statement = connection.createStatement();
                  ResultSet rows =
                      statement.executeQuery(
                          "select count(*),"
                              + " count(*) filter (where state = 'active'),"
                              + " count(*) filter (where state = 'idle'),"
                              + " count(*) filter (where state like 'idle in transaction%'),"
                              + " count(*) filter (where wait_event_type = 'Lock'),"
                              + " coalesce(extract(epoch from max(clock_timestamp() - xact_start)), 0)::float8,"
                              + " current_setting('max_connections')::int"
                              + " from pg_stat_activity where backend_type = 'client backend' and pid <> pg_backend_pid()")) {
                rows.next();
                int total = rows.getInt(1);
                int max = rows.getInt(7);
                double used = max == 0 ? 0 : (double) total / max;
                double oldest = rows.getDouble(6);
                boolean healthy = used <= warnRatio && oldest <= maxAge.toMillis() / 1000.0;
                return new PostgresConnectionStatsResult(
                    healthy,
                    total,
                    max,
                    used,
                    rows.getInt(2),
                    rows.getInt(3),
                    rows.getInt(4),
                    rows.getInt(5),
                    oldest);
              }
            });
    if (!result.healthy() && input.failOnProblem()) {
      throw ActionFailures.retryable(
          PostgresFailures.CONNECTIONS_EXHAUSTED,
          target.describe()
              + " has "
              + result.total()
              + " of "
              + result.maxConnections()
              + " connections (limit "
              + Math.round(warnRatio * 100)
              + "%) and its oldest transaction is "
              + Math.round(result.oldestTransactionSeconds())
              + "s old (limit "
              + input.maxTransactionAge()
              + ")",
          result);
    }
    return result;
  }

  PostgresDiskUsageResult diskUsage(PostgresDiskUsageInput input) {
    PostgresInputs.present("postgres.diskUsage", input);
    PostgresTarget target = PostgresTarget.of(input.targets(), "target", input.target());
    double warnRatio = PostgresInputs.ratio("warnRatio", input.warnRatio());
    Progress progress = Progress.of("postgres.diskUsage");
    progress.beat("reading database sizes", 0);
    long[] sizes =
        connector.with(
            target,
            "reading database sizes",
            connection -> {
              try (Statement statement = connection.createStatement();
                  ResultSet rows =
                      statement.executeQuery(
                          "select (select sum(pg_database_size(oid)) from pg_database where datallowconn)::int8,"
                              + " (select coalesce(sum(size), 0) from pg_ls_waldir())::int8")) {
                rows.next();
                return new long[] {rows.getLong(1), rows.getLong(2)};
              }
            });
    String dataDirectory =
        target.dataDirectory() != null
            ? target.dataDirectory()
            : connector.with(
                target,
                "reading data_directory",
                connection -> single(connection, "select current_setting('data_directory')"));
    progress.beat("reading filesystem of " + dataDirectory, 1);
    long[] filesystem =
        target.container() != null
            ? containerFilesystem(target, dataDirectory)
            : hostFilesystem(target, dataDirectory);
    double used = filesystem[0] == 0 ? 0 : (double) filesystem[1] / filesystem[0];
    PostgresDiskUsageResult result =
        new PostgresDiskUsageResult(
            used <= warnRatio, sizes[0], sizes[1], filesystem[0], filesystem[1], used);
    if (!result.healthy() && input.failOnProblem()) {
      throw ActionFailures.retryable(
          PostgresFailures.DISK_FULL,
          "the filesystem of "
              + dataDirectory
              + " ("
              + target.describe()
              + ") is "
              + Math.round(used * 100)
              + "% used, above the limit of "
              + Math.round(warnRatio * 100)
              + "%",
          result);
    }
    return result;
  }

  /**
   * {@code [total, used]} bytes of the filesystem holding the directory, by {@code df} in the
   * container.
   */
  private long[] containerFilesystem(PostgresTarget target, String directory) {
    DockerExecResult result =
        docker.exec(
            DockerExecInput.of(
                target.name(), target.asDockerTargets(), "df", "-P", "-k", directory));
    String[] lines = result.stdout().strip().split("\n");
    String[] fields = lines[lines.length - 1].trim().split("\\s+");
    if (fields.length < 4) {
      throw ActionFailures.retryable(
          PostgresFailures.TOOL_FAILED,
          "df in " + target.describe() + " printed no usage line for " + directory);
    }
    return new long[] {Long.parseLong(fields[1]) * 1024, Long.parseLong(fields[2]) * 1024};
  }

  private static long[] hostFilesystem(PostgresTarget target, String directory) {
    Path path = Path.of(directory);
    if (!Files.exists(path)) {
      throw ActionFailures.invalidInput(
          target.describe()
              + " names no container and its data directory "
              + directory
              + " is not on the worker: give the target a container or a dataDirectory");
    }
    try {
      FileStore store = Files.getFileStore(path);
      long total = store.getTotalSpace();
      return new long[] {total, total - store.getUnallocatedSpace()};
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static String single(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      return rows.next() ? rows.getString(1) : null;
    }
  }

  /** A column's value as JSON can carry it: numbers, booleans and text. */
  private static Object jsonValue(ResultSet rows, int column, int type) throws SQLException {
    Object value = rows.getObject(column);
    if (value == null) {
      return null;
    }
    return switch (type) {
      case Types.BIT, Types.BOOLEAN -> rows.getBoolean(column);
      case Types.SMALLINT, Types.INTEGER, Types.BIGINT -> rows.getLong(column);
      case Types.REAL, Types.DOUBLE, Types.FLOAT -> rows.getDouble(column);
      case Types.NUMERIC, Types.DECIMAL -> new BigDecimal(rows.getString(column));
      default -> rows.getString(column);
    };
  }

  /** A column's value as text; booleans as {@code true}/{@code false}, NULL as the empty string. */
  static String text(ResultSet rows, int column, int type) throws SQLException {
    if (type == Types.BIT || type == Types.BOOLEAN) {
      boolean value = rows.getBoolean(column);
      return rows.wasNull() ? "" : String.valueOf(value);
    }
    String value = rows.getString(column);
    return value == null ? "" : value;
  }
}
