package io.drctl.activities.postgres;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * What a {@code postgres.schemaCheck} step returns: field for field the {@code output} of {@code
 * postgres.schemaCheck} in the action catalog.
 *
 * @param ok No required table missing and no difference.
 * @param schemaHash sha256 of the normalised schema dump.
 * @param tables Tables in the schema.
 * @param missingTables Required tables that do not exist.
 * @param differences Objects that differ from the reference or the backup: kind, name, change,
 *     against.
 * @param backupId The backup whose schema was compared (what backupId selected); null without
 *     backupId.
 */
public record PostgresSchemaCheckResult(
    @JsonProperty("ok") boolean ok,
    @JsonProperty("schemaHash") String schemaHash,
    @JsonProperty("tables") int tables,
    @JsonProperty("missingTables") List<String> missingTables,
    @JsonProperty("differences") List<SchemaDifference> differences,
    @JsonProperty("backupId") String backupId) {
  public PostgresSchemaCheckResult {
    missingTables = List.copyOf(missingTables);
    differences = List.copyOf(differences);
  }
}
