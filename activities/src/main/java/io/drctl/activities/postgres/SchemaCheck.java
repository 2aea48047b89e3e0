package io.drctl.activities.postgres;

import io.drctl.activities.ActionFailures;
import io.drctl.activities.backup.BackupFailures;
import io.drctl.activities.backup.StoreSession;
import io.drctl.store.StoreException;
import io.drctl.store.catalog.SelectedBackup;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code postgres.schemaCheck}: {@code pg_dump --schema-only} of the target (the seed's integrity
 * check), normalised (comments, blank lines, {@code SET}, {@code set_config} and the per-dump
 * random {@code \restrict} lines dropped; the amcheck extension, which {@code postgres.verify}
 * creates, left out) and hashed; required tables looked up; and a per-object comparison (an object
 * is a statement, keyed by its first line) with the same normalised dump of a reference server
 * and/or with the schema recorded in a logical backup ({@link BackupSchema}: {@code pg_restore
 * --schema-only} of the stored archive, SHA-256 checked).
 */
final class SchemaCheck {
  /** Differences named in a SchemaMismatch message; the output lists them all. */
  private static final int SUMMARY_LIMIT = 10;

  private final PostgresConnector connector;
  private final ServerTools tools;
  private final BackupSchema backups;

  SchemaCheck(PostgresConnector connector, ServerTools tools) {
    this.connector = connector;
    this.tools = tools;
    this.backups = new BackupSchema(connector.options());
  }

  PostgresSchemaCheckResult check(PostgresSchemaCheckInput input) {
    PostgresInputs.present("postgres.schemaCheck", input);
    PostgresTarget target =
        PostgresTarget.of(input.targets(), "target", input.target())
            .withDatabase("database", input.database());
    PostgresTarget reference =
        input.reference() == null
            ? null
            : PostgresTarget.of(input.targets(), "reference", input.reference())
                .withDatabase("database", input.database());
    if (input.backupId() != null && input.store() == null) {
      throw ActionFailures.invalidInput(
          "backupId " + input.backupId() + " needs store: the backup store holding it");
    }
    List<TableName> required = PostgresInputs.tables("requiredTables", input.requiredTables());
    Progress progress = Progress.of("postgres.schemaCheck");
    progress.beat("dumping the schema of " + target.name(), 0);
    Map<String, String> objects = objects(dump(target));
    String hash = sha256(String.join("\n", objects.values()));

    progress.beat("looking up tables", 1);
    List<String> missing = new ArrayList<>();
    int tables =
        connector.with(
            target,
            "looking up tables",
            connection -> {
              for (TableName table : required) {
                if (!TableStats.exists(connection, table)) {
                  missing.add(table.toString());
                }
              }
              return TableStats.userTables(connection).size();
            });

    List<SchemaDifference> differences = new ArrayList<>();
    if (reference != null) {
      progress.beat("dumping the schema of " + reference.name(), 2);
      differences.addAll(compare(objects(dump(reference)), objects, reference.name()));
    }
    String backupId = "";
    if (input.backupId() != null) {
      progress.beat("opening the store " + input.store(), 3);
      try (StoreSession store =
          StoreSession.open(input.targets(), "store", input.store(), connector.secrets())) {
        SelectedBackup backup = BackupSchema.select(store, input.backupId());
        backupId = backup.metadata().backupId();
        differences.addAll(
            compare(objects(backups.ddl(backup, progress)), objects, "backup " + backupId));
      } catch (StoreException e) {
        throw BackupFailures.of(e);
      }
    }
    boolean ok = missing.isEmpty() && differences.isEmpty();
    PostgresSchemaCheckResult result =
        new PostgresSchemaCheckResult(ok, "sha256:" + hash, tables, missing, differences, backupId);
    if (!ok && input.failOnProblem()) {
      throw ActionFailures.nonRetryable(
          PostgresFailures.SCHEMA_MISMATCH,
          target.describe() + " schema check failed: " + summary(missing, differences),
          result);
    }
    return result;
  }

  /**
   * Objects of {@code expected} missing or changed in {@code actual}, then those only in {@code
   * actual}.
   */
  private static List<SchemaDifference> compare(
      Map<String, String> expected, Map<String, String> actual, String against) {
    List<SchemaDifference> differences = new ArrayList<>();
    for (Map.Entry<String, String> object : expected.entrySet()) {
      String found = actual.get(object.getKey());
      if (found == null) {
        differences.add(difference(object.getKey(), "missing", against));
      } else if (!found.equals(object.getValue())) {
        differences.add(difference(object.getKey(), "changed", against));
      }
    }
    for (String key : actual.keySet()) {
      if (!expected.containsKey(key)) {
        differences.add(difference(key, "extra", against));
      }
    }
    return differences;
  }

  /** One line: the missing tables, then per compared schema the first differences. */
  private static String summary(List<String> missing, List<SchemaDifference> differences) {
    List<String> parts = new ArrayList<>();
    if (!missing.isEmpty()) {
      parts.add("missing tables " + missing);
    }
    differences.stream()
        .collect(
            Collectors.groupingBy(
                SchemaDifference::against, LinkedHashMap::new, Collectors.toList()))
        .forEach(
            (against, found) ->
                parts.add(
                    found.size()
                        + " object(s) differ from "
                        + against
                        + ": "
                        + found.stream()
                            .limit(SUMMARY_LIMIT)
                            .map(d -> d.change() + " " + d.kind() + " " + d.name())
                            .collect(Collectors.joining(", "))
                        + (found.size() > SUMMARY_LIMIT ? ", ..." : "")));
    return String.join("; ", parts);
  }

  private String dump(PostgresTarget server) {
    return tools
        .client(
            server,
            PostgresFailures.TOOL_FAILED,
            "pg_dump",
            List.of(
                "--schema-only",
                "--no-password",
                "-h",
                server.host(),
                "-p",
                String.valueOf(server.port()),
                "-U",
                server.user(),
                "-d",
                Identifiers.databaseArgument(server.database())))
        .stdout();
  }

  /**
   * The dump's statements in order, keyed by their first line; comments and session settings
   * dropped.
   */
  static Map<String, String> objects(String dump) {
    Map<String, String> objects = new LinkedHashMap<>();
    StringBuilder statement = new StringBuilder();
    for (String line : dump.split("\n")) {
      if (line.isBlank()
          || line.startsWith("--")
          || line.startsWith("\\restrict ")
          || line.startsWith("\\unrestrict ")
          || (statement.length() == 0
              && (line.startsWith("SET ") || line.startsWith("SELECT pg_catalog.set_config")))) {
        continue;
      }
      statement.append(line).append('\n');
      if (line.endsWith(";")) {
        String text = statement.toString();
        String key = text.substring(0, text.indexOf('\n'));
        if (!key.contains("EXTENSION IF NOT EXISTS amcheck")
            && !key.startsWith("COMMENT ON EXTENSION amcheck")) {
          objects.merge(key, text, (first, second) -> first + second);
        }
        statement.setLength(0);
      }
    }
    return objects;
  }

  private static SchemaDifference difference(String firstLine, String change, String against) {
    String[] words = firstLine.replace("(", " ").replace(";", " ").trim().split("\\s+");
    int at = 0;
    while (at < words.length
        && List.of(
                "CREATE", "ALTER", "OR", "REPLACE", "UNIQUE", "ONLY", "COMMENT", "ON", "IF", "NOT",
                "EXISTS")
            .contains(words[at])) {
      at++;
    }
    String kind = at < words.length ? words[at] : firstLine;
    String name = at + 1 < words.length ? words[at + 1] : "";
    if ("ONLY".equals(name) && at + 2 < words.length) {
      name = words[at + 2];
    }
    return new SchemaDifference(kind, name, change, against);
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
