package io.drctl.activities.postgres;

import static io.drctl.activities.http.HttpTestSupport.applicationFailure;
import static io.drctl.activities.postgres.PostgresTestActivities.targets;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.activities.InjectionPayloads;
import io.drctl.store.local.LocalDirectories;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each injection payload through every postgres parameter that reaches SQL text or a client tool's
 * command line, on one real server: a value is a bind parameter, a quoted name or one argv element,
 * so it is used literally (a database literally named by it) or refused as InvalidInput naming the
 * parameter, and the server's databases, roles, slots and tables are as they were. A target's data
 * directory, which restore_command hands to a shell, may not hold the shell's special characters.
 * pg_dump runs in this JVM's working directory, where {@code x} is planted.
 */
class PostgresInjectionTest {
  /** A bare {@code -d} holding {@code =} is a whole libpq connection string: another host. */
  private static final String CONNECTION_STRING = "host=nowhere.invalid dbname=postgres";

  @RegisterExtension static final PostgresTestClusters clusters = new PostgresTestClusters();
  private static final Path WORKING_DIRECTORY = Path.of("").toAbsolutePath();
  private static TestCluster server;
  private static String before;

  private PostgresTestActivities test;
  private PostgresActivities activities;
  private Map<String, JsonNode> targets;

  @BeforeAll
  static void server() throws Exception {
    server = clusters.freshPrimary("injection");
    for (String name :
        databaseNames().filter(name -> !InjectionPayloads.hasControlCharacter(name)).toList()) {
      server.execute("create database " + Identifiers.quote(name));
      try (Connection connection = connect(name);
          Statement statement = connection.createStatement()) {
        statement.execute("create table " + Identifiers.quote(name) + " (id int)");
      }
    }
    before = fingerprint();
    InjectionPayloads.plant(WORKING_DIRECTORY);
  }

  @AfterAll
  static void removeMarker() throws Exception {
    LocalDirectories.deleteRecursively(WORKING_DIRECTORY.resolve("x"));
  }

  @BeforeEach
  void start() {
    test = new PostgresTestActivities(clusters);
    activities = test.activities;
    targets = targets("db", server);
  }

  @AfterEach
  void stop() {
    test.close();
    assertThat(fingerprint()).isEqualTo(before);
    InjectionPayloads.assertNothingRan(WORKING_DIRECTORY);
  }

  static Stream<String> payloads() {
    return InjectionPayloads.all().stream();
  }

  static Stream<String> databaseNames() {
    return Stream.concat(payloads(), Stream.of(CONNECTION_STRING));
  }

  @ParameterizedTest
  @MethodSource("payloads")
  void aQueryParameterIsBoundAsAValue(String payload) {
    PostgresQueryInput input =
        new PostgresQueryInput(
            "db",
            "select $1::text as value, length($1::text)",
            List.of(payload),
            null,
            null,
            null,
            targets);

    if (payload.indexOf('\0') >= 0) {
      InjectionPayloads.assertInvalidInput(
          applicationFailure(() -> activities.query(input)), "parameters[0] ($1)");
    } else {
      PostgresQueryResult result = activities.query(input);
      assertThat(result.firstValue()).isEqualTo(payload);
      assertThat(result.firstRow()).containsEntry("length", payload.length());
    }
  }

  @ParameterizedTest
  @MethodSource("databaseNames")
  void aDatabaseParameterNamesOneDatabaseLiterally(String name) {
    PostgresQueryInput input =
        new PostgresQueryInput(
            "db", "select current_database()", List.of(), name, null, null, targets);

    if (InjectionPayloads.hasControlCharacter(name)) {
      InjectionPayloads.assertInvalidInput(
          applicationFailure(() -> activities.query(input)), "database");
    } else {
      assertThat(activities.query(input).firstValue()).isEqualTo(name);
    }
  }

  @ParameterizedTest
  @MethodSource("databaseNames")
  void pgDumpGetsTheDatabaseAsOneNameNotAConnectionString(String name) {
    // schemaCheck runs pg_dump -d on the target and on the reference (the same server here).
    PostgresSchemaCheckInput input =
        new PostgresSchemaCheckInput("db", name, List.of(), "db", null, null, true, targets);

    if (InjectionPayloads.hasControlCharacter(name)) {
      InjectionPayloads.assertInvalidInput(
          applicationFailure(() -> activities.schemaCheck(input)), "database");
    } else {
      PostgresSchemaCheckResult result = activities.schemaCheck(input);
      assertThat(result.ok()).isTrue();
      assertThat(result.tables()).isEqualTo(1); // the table literally named like its database
    }
  }

  @ParameterizedTest
  @MethodSource("payloads")
  void aRestoreIntoADatabaseNoNameCanHoldIsRefusedBeforeAnythingIsTouched(String payload) {
    PostgresRestoreInput input =
        new PostgresRestoreInput("db", "store", null, payload, null, null, null, null, targets);

    if (InjectionPayloads.hasControlCharacter(payload)) {
      InjectionPayloads.assertInvalidInput(
          applicationFailure(() -> activities.restore(input)), "database");
    } else {
      // A name PostgreSQL can hold gets as far as the store, which this step does not have.
      assertThat(applicationFailure(() -> activities.restore(input)).getOriginalMessage())
          .contains("store");
    }
  }

  @ParameterizedTest
  @MethodSource("payloads")
  void aTableOrSlotParameterAcceptsPlainNamesOnly(String payload) {
    PostgresSchemaCheckInput tables =
        new PostgresSchemaCheckInput("db", null, List.of(payload), null, null, null, true, targets);
    PostgresRejoinInput slot =
        new PostgresRejoinInput("db", "db", null, false, payload, "1m", targets);

    InjectionPayloads.assertInvalidInput(
        applicationFailure(() -> activities.schemaCheck(tables)), "requiredTables");
    InjectionPayloads.assertInvalidInput(
        applicationFailure(() -> activities.rejoin(slot)), "replicationSlot");
  }

  @ParameterizedTest
  @MethodSource("payloads")
  void aDataDirectoryAShellWouldReadIsRefused(String payload) {
    // postgres.pitr writes it into restore_command, which the server runs with sh.
    Map<String, JsonNode> withBad =
        targets("bad", server.target().put("dataDirectory", "/tmp/" + payload));
    PostgresQueryInput input =
        new PostgresQueryInput("bad", "select 1", List.of(), null, null, null, withBad);

    InjectionPayloads.assertInvalidInput(
        applicationFailure(() -> activities.query(input)), "target 'bad' property dataDirectory");
  }

  /** Databases, roles, replication slots and the tables of every database, as one text. */
  private static String fingerprint() {
    List<String> parts =
        new ArrayList<>(server.column("select datname from pg_database order by datname"));
    parts.addAll(server.column("select rolname from pg_roles order by rolname"));
    parts.addAll(server.column("select slot_name from pg_replication_slots order by slot_name"));
    for (String database :
        server.column("select datname from pg_database where datallowconn order by datname")) {
      try (Connection connection = connect(database);
          Statement statement = connection.createStatement();
          var rows =
              statement.executeQuery(
                  "select relname from pg_class where relnamespace = 'public'::regnamespace"
                      + " order by relname")) {
        while (rows.next()) {
          parts.add(database + "." + rows.getString(1));
        }
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }
    return String.join("\n", parts);
  }

  private static Connection connect(String database) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", "postgres");
    properties.setProperty("password", clusters.password());
    properties.setProperty("sslmode", "disable");
    return DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:"
            + server.port()
            + "/"
            + URLEncoder.encode(database, StandardCharsets.UTF_8).replace("+", "%20"),
        properties);
  }
}
