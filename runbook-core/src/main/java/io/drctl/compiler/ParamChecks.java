package io.drctl.compiler;

import io.drctl.catalog.ActionCatalog;
import io.drctl.catalog.ActionDefinition;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The compiled JSON Schema check of every action's parameters in one {@link ActionCatalog}, built
 * once per catalog (catalogs are immutable) so that the catalog itself knows nothing of the
 * compiler. Thread-safe.
 */
final class ParamChecks {
  private static final Map<ActionCatalog, ParamChecks> BY_CATALOG =
      Collections.synchronizedMap(new WeakHashMap<>());

  private final Map<String, SchemaCheck> checks;

  private ParamChecks(ActionCatalog catalog) {
    Map<String, SchemaCheck> built = new LinkedHashMap<>();
    for (ActionDefinition action : catalog.all()) {
      built.put(action.name(), SchemaCheck.inline(action.params()));
    }
    this.checks = Map.copyOf(built);
  }

  /** The checks of {@code catalog}'s actions, compiled on the first call for that catalog. */
  static ParamChecks of(ActionCatalog catalog) {
    return BY_CATALOG.computeIfAbsent(catalog, ParamChecks::new);
  }

  /** The check of {@code action}'s parameters. */
  SchemaCheck of(ActionDefinition action) {
    return checks.get(action.name());
  }
}
