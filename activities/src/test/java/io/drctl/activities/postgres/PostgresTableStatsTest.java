package io.drctl.activities.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What the row-hash fingerprint ({@link TableStats}) notices, on a real server. */
class PostgresTableStatsTest {
  @RegisterExtension static final PostgresTestClusters clusters = new PostgresTestClusters();
  private static final TableName BAG = new TableName("public", "bag");
  private static TestCluster server;

  @BeforeAll
  static void cluster() {
    server = clusters.freshPrimary("stats");
  }

  @BeforeEach
  void table() {
    // No key: rows may repeat, which is where a XOR of row hashes would fail.
    server.execute(
        "drop table if exists bag, notes",
        "create table bag (name text, amount int)",
        "insert into bag values ('x', 1), ('y', 2), ('y', 2), ('z', 3)");
  }

  @Test
  void aChangedValueChangesTheFingerprint() throws Exception {
    String before = fingerprint(BAG);
    server.execute("update bag set amount = 4 where name = 'z'");

    assertThat(fingerprint(BAG)).isNotEqualTo(before);
  }

  @Test
  void valuesSwappedBetweenRowsChangeTheFingerprint() throws Exception {
    String before = fingerprint(BAG);
    server.execute(
        "update bag set amount = case name when 'x' then 3 else 1 end where name in ('x', 'z')");

    assertThat(fingerprint(BAG)).isNotEqualTo(before);
    assertThat(server.value("select count(*) from bag")).isEqualTo("4");
  }

  @Test
  void aRowMissingAndAnotherDuplicatedChangeTheFingerprintAtTheSameCount() throws Exception {
    String before = fingerprint(BAG);
    server.execute("delete from bag where name = 'x'", "insert into bag values ('z', 3)");

    assertThat(fingerprint(BAG)).isNotEqualTo(before);
    assertThat(server.value("select count(*) from bag")).isEqualTo("4");
  }

  @Test
  void aPairOfDuplicatesReplacedByAnotherPairChangesTheFingerprintWhereAXorWouldNot()
      throws Exception {
    String before = fingerprint(BAG);
    String xorBefore = server.value("select bit_xor(hash_record_extended(t, 0)) from bag t");
    server.execute("update bag set name = 'w', amount = 5 where name = 'y'");

    assertThat(server.value("select bit_xor(hash_record_extended(t, 0)) from bag t"))
        .isEqualTo(xorBefore);
    assertThat(fingerprint(BAG)).isNotEqualTo(before);
  }

  @Test
  void theFingerprintDoesNotDependOnRowOrder() throws Exception {
    String before = fingerprint(BAG);
    server.execute(
        "create table shuffled as select * from bag order by name desc",
        "truncate bag",
        "insert into bag select * from shuffled",
        "drop table shuffled");

    assertThat(fingerprint(BAG)).isEqualTo(before);
  }

  @Test
  void aTableWithAnUnhashableColumnFallsBackToTheTextHashInsideTheSameTransaction()
      throws Exception {
    TableName notes = new TableName("public", "notes");
    server.execute(
        "create table notes (id int, body json)", "insert into notes values (1, '{\"a\": 1}')");
    try (Connection connection = server.connect("postgres")) {
      connection.setAutoCommit(false);
      TableStats.Stats stats = TableStats.of(connection, notes, true);
      TableStats.Stats again = TableStats.like(connection, notes, stats.fingerprint());
      String bag =
          TableStats.of(connection, BAG, true).fingerprint(); // the transaction is still usable
      connection.rollback();

      assertThat(stats.fingerprint())
          .isEqualTo(
              "text-hash-sum:"
                  + server.value("select sum(hashtextextended(t::text, 0)) from notes t"));
      assertThat(again).isEqualTo(stats);
      assertThat(bag).startsWith("record-hash-sum:");
    }
    String before = fingerprint(notes);
    server.execute("update notes set body = '{\"a\": 2}'");
    assertThat(fingerprint(notes)).isNotEqualTo(before);
  }

  @Test
  void anEmptyTablesFingerprintIsEmpty() throws Exception {
    server.execute("truncate bag");

    assertThat(fingerprint(BAG)).isEmpty();
  }

  private static String fingerprint(TableName table) throws SQLException {
    try (Connection connection = server.connect("postgres")) {
      return TableStats.of(connection, table, true).fingerprint();
    }
  }
}
