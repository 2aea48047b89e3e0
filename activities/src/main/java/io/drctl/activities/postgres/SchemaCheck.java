package io.drctl.activities.postgres;

import io.drctl.activities.ActionFailures;
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
 * creates, left out) and hashed; required tables looked up; and, with a reference server, a per-object comparison of the
 * two normalised dumps (an object is a statement, keyed by its first line).
 */
final class SchemaCheck {
  private final PostgresConnector connector;
  private final ServerTools tools;

  SchemaCheck(PostgresConnector connector, ServerTools tools) {
    this.connector = connector;
    this.tools = tools;
  }

  PostgresSchemaCheckResult check(PostgresSchemaCheckInput input) {
    PostgresInputs.present("postgres.schemaCheck", input);
    PostgresTarget target = PostgresTarget.of(input.targets(), "target", input.target()).withDatabase(input.database());
    PostgresTarget reference = input.reference() == null ? null
        : PostgresTarget.of(input.targets(), "reference", input.reference()).withDatabase(input.database());
    if (input.backupId() != null) {
      throw ActionFailures.invalidInput("backupId " + input.backupId() + ": comparing with a backup's schema needs"
          + " the backup store, which this worker's postgres.schemaCheck does not read yet; use reference");
    }
    List<TableName> required = PostgresInputs.tables("requiredTables", input.requiredTables());
    Progress progress = Progress.of("postgres.schemaCheck");
    progress.beat("dumping the schema of " + target.name(), 0);
    Map<String, String> objects = objects(dump(target));
    String hash = sha256(String.join("\n", objects.values()));

    progress.beat("looking up tables", 1);
    List<String> missing = new ArrayList<>();
    int tables = connector.with(target, "looking up tables", connection -> {
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
      Map<String, String> expected = objects(dump(reference));
      for (Map.Entry<String, String> object : expected.entrySet()) {
        String actual = objects.get(object.getKey());
        if (actual == null) {
          differences.add(difference(object.getKey(), "missing"));
        } else if (!actual.equals(object.getValue())) {
          differences.add(difference(object.getKey(), "changed"));
        }
      }
      for (String key : objects.keySet()) {
        if (!expected.containsKey(key)) {
          differences.add(difference(key, "extra"));
        }
      }
    }
    boolean ok = missing.isEmpty() && differences.isEmpty();
    PostgresSchemaCheckResult result = new PostgresSchemaCheckResult(ok, "sha256:" + hash, tables, missing, differences);
    if (!ok && input.failOnProblem()) {
      throw ActionFailures.nonRetryable(PostgresFailures.SCHEMA_MISMATCH, target.describe() + " schema check failed: "
          + (missing.isEmpty() ? "" : "missing tables " + missing + (differences.isEmpty() ? "" : "; "))
          + (differences.isEmpty() ? "" : differences.size() + " object(s) differ from " + reference.name() + ": "
              + differences.stream().limit(10).map(d -> d.change() + " " + d.kind() + " " + d.name())
                  .collect(Collectors.joining(", "))), result);
    }
    return result;
  }

  private String dump(PostgresTarget server) {
    return tools.client(server, PostgresFailures.TOOL_FAILED, "pg_dump", List.of("--schema-only", "--no-password",
        "-h", server.host(), "-p", String.valueOf(server.port()), "-U", server.user(), "-d", server.database())).stdout();
  }

  /** The dump's statements in order, keyed by their first line; comments and session settings dropped. */
  static Map<String, String> objects(String dump) {
    Map<String, String> objects = new LinkedHashMap<>();
    StringBuilder statement = new StringBuilder();
    for (String line : dump.split("\n")) {
      if (line.isBlank() || line.startsWith("--") || line.startsWith("\\restrict ")
          || line.startsWith("\\unrestrict ") || (statement.length() == 0
          && (line.startsWith("SET ") || line.startsWith("SELECT pg_catalog.set_config")))) {
        continue;
      }
      statement.append(line).append('\n');
      if (line.endsWith(";")) {
        String text = statement.toString();
        String key = text.substring(0, text.indexOf('\n'));
        if (!key.contains("EXTENSION IF NOT EXISTS amcheck") && !key.startsWith("COMMENT ON EXTENSION amcheck")) {
          objects.merge(key, text, (first, second) -> first + second);
        }
        statement.setLength(0);
      }
    }
    return objects;
  }

  private static SchemaDifference difference(String firstLine, String change) {
    String[] words = firstLine.replace("(", " ").replace(";", " ").trim().split("\\s+");
    int at = 0;
    while (at < words.length && List.of("CREATE", "ALTER", "OR", "REPLACE", "UNIQUE", "ONLY", "COMMENT", "ON", "IF", "NOT", "EXISTS")
        .contains(words[at])) {
      at++;
    }
    String kind = at < words.length ? words[at] : firstLine;
    String name = at + 1 < words.length ? words[at + 1] : "";
    if ("ONLY".equals(name) && at + 2 < words.length) {
      name = words[at + 2];
    }
    return new SchemaDifference(kind, name, change);
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
