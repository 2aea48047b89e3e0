package io.drctl.sandbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The sandbox's dataset: generated in the database, deterministic for a scale, with its own ground
 * truth in {@code drctl_dataset.manifest(table_name, row_count, checksum, scale, created_at)}. A
 * table's checksum is {@value #CHECKSUM_SQL} with {@code %s} the table: what {@code
 * postgres.verify} computes too. Scale 1 is about 10 MB; size grows linearly with it.
 */
public final class Dataset {
  /** The checksum of a table, {@code %s} its name. Hashes row text, so sessions must be in UTC. */
  public static final String CHECKSUM_SQL =
      "SELECT count(*), md5(string_agg(md5(t::text), '' ORDER BY t.id)) FROM %s t";

  /** The manifest table. */
  public static final String MANIFEST = DatasetTables.SCHEMA + ".manifest";

  private Dataset() {}

  /** What seeding did. {@code bytes} is the tables' on-disk size, indexes included. */
  public record SeedResult(int scale, Map<String, Long> rows, long bytes, Duration took) {
    public double megabytes() {
      return bytes / 1_000_000.0;
    }

    public double megabytesPerSecond() {
      return megabytes() / Math.max(0.001, took.toMillis() / 1000.0);
    }
  }

  /** One manifest row. */
  public record ManifestEntry(
      String table, long rows, String checksum, int scale, Instant createdAt) {}

  /**
   * One table's ground truth against what the database holds now; an empty table's checksum is
   * null.
   */
  public record TableCheck(
      String table,
      long expectedRows,
      long liveRows,
      String expectedChecksum,
      String liveChecksum) {
    public boolean matches() {
      return expectedRows == liveRows && java.util.Objects.equals(expectedChecksum, liveChecksum);
    }
  }

  /** The whole comparison; {@link #ok()} when every table matches. */
  public record Verification(List<TableCheck> tables) {
    public boolean ok() {
      return !tables.isEmpty() && tables.stream().allMatch(TableCheck::matches);
    }

    public List<TableCheck> mismatches() {
      return tables.stream().filter(check -> !check.matches()).toList();
    }
  }

  /**
   * Replaces the dataset with scale {@code scale}, in one transaction: the tables and manifest are
   * all there afterwards or, on failure, whatever was there before is.
   */
  public static SeedResult seed(Connection connection, int scale) throws SQLException {
    if (scale < 1) {
      throw new SandboxException("--scale " + scale + ": must be 1 or more");
    }
    long started = System.nanoTime();
    boolean autoCommit = connection.getAutoCommit();
    connection.setAutoCommit(false);
    Map<String, Long> rows = new LinkedHashMap<>();
    try (Statement statement = connection.createStatement()) {
      statement.execute("SET LOCAL synchronous_commit = off");
      statement.execute("SET LOCAL TimeZone = 'UTC'");
      for (DatasetTables.Table table : reversed(DatasetTables.ALL)) {
        statement.execute("DROP TABLE IF EXISTS " + table.name() + " CASCADE");
      }
      statement.execute("DROP SCHEMA IF EXISTS " + DatasetTables.SCHEMA + " CASCADE");
      Map<String, Long> counts = new LinkedHashMap<>();
      for (DatasetTables.Table table : DatasetTables.ALL) {
        counts.put(table.name(), table.rowsPerScale() * scale);
      }
      for (DatasetTables.Table table : DatasetTables.ALL) {
        statement.execute(table.create());
        statement.execute("SELECT setseed(" + table.seed() + ")");
        String insert =
            table
                .insert()
                .replace(":rows", String.valueOf(counts.get(table.name())))
                .replace(":users", String.valueOf(counts.get("users")))
                .replace(":materials", String.valueOf(counts.get("materials")))
                .replace(":assignments", String.valueOf(counts.get("assignments")));
        rows.put(table.name(), (long) statement.executeUpdate(insert));
      }
      for (DatasetTables.Table table : DatasetTables.ALL) {
        for (String foreignKey : table.foreignKeys()) {
          statement.execute(foreignKey);
        }
      }
      statement.execute("CREATE SCHEMA " + DatasetTables.SCHEMA);
      statement.execute(
          "CREATE TABLE "
              + MANIFEST
              + " (table_name text PRIMARY KEY, row_count bigint NOT NULL,"
              + " checksum text NOT NULL, scale int NOT NULL, created_at timestamptz NOT NULL)");
      try (PreparedStatement insert =
          connection.prepareStatement("INSERT INTO " + MANIFEST + " VALUES (?, ?, ?, ?, now())")) {
        for (DatasetTables.Table table : DatasetTables.ALL) {
          TableState state = measure(connection, table.name());
          insert.setString(1, table.name());
          insert.setLong(2, state.rows());
          insert.setString(3, state.checksum());
          insert.setInt(4, scale);
          insert.addBatch();
        }
        insert.executeBatch();
      }
      statement.execute("ANALYZE");
      connection.commit();
    } catch (SQLException | RuntimeException e) {
      connection.rollback();
      throw e;
    } finally {
      connection.setAutoCommit(autoCommit);
    }
    return new SeedResult(
        scale, rows, bytes(connection), Duration.ofNanos(System.nanoTime() - started));
  }

  /** The manifest, or empty when the database has none (never seeded, or seeding failed). */
  public static Optional<List<ManifestEntry>> manifest(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet exists =
            statement.executeQuery("SELECT to_regclass('" + MANIFEST + "') IS NOT NULL")) {
      exists.next();
      if (!exists.getBoolean(1)) {
        return Optional.empty();
      }
    }
    List<ManifestEntry> entries = new ArrayList<>();
    try (Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT table_name, row_count, checksum, scale, created_at FROM "
                    + MANIFEST
                    + " ORDER BY table_name")) {
      while (rows.next()) {
        entries.add(
            new ManifestEntry(
                rows.getString(1),
                rows.getLong(2),
                rows.getString(3),
                rows.getInt(4),
                rows.getTimestamp(5).toInstant()));
      }
    }
    return entries.isEmpty() ? Optional.empty() : Optional.of(entries);
  }

  /**
   * Recomputes every manifest table's count and checksum and compares them with the manifest.
   *
   * @throws SandboxException when there is no manifest
   */
  public static Verification verify(Connection connection) throws SQLException {
    List<ManifestEntry> entries =
        manifest(connection)
            .orElseThrow(
                () ->
                    new SandboxException(
                        "the database has no " + MANIFEST + ": the dataset was never seeded"));
    List<TableCheck> checks = new ArrayList<>();
    for (ManifestEntry entry : entries) {
      TableState live = measure(connection, entry.table());
      checks.add(
          new TableCheck(
              entry.table(), entry.rows(), live.rows(), entry.checksum(), live.checksum()));
    }
    return new Verification(checks);
  }

  /** The on-disk size of the dataset's tables, indexes and TOAST included. */
  public static long bytes(Connection connection) throws SQLException {
    StringBuilder sum = new StringBuilder("SELECT 0");
    for (DatasetTables.Table table : DatasetTables.ALL) {
      sum.append(" + coalesce(pg_total_relation_size(to_regclass('")
          .append(table.name())
          .append("')), 0)");
    }
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(sum.toString())) {
      result.next();
      return result.getLong(1);
    }
  }

  private record TableState(long rows, String checksum) {}

  private static TableState measure(Connection connection, String table) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute("SET TimeZone = 'UTC'");
      try (ResultSet result = statement.executeQuery(CHECKSUM_SQL.formatted(quote(table)))) {
        result.next();
        return new TableState(result.getLong(1), result.getString(2));
      }
    }
  }

  private static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }

  private static <T> List<T> reversed(List<T> list) {
    List<T> copy = new ArrayList<>(list);
    java.util.Collections.reverse(copy);
    return copy;
  }
}
