package io.drctl.compiler;

import io.drctl.compiler.Diagnostic.Severity;
import java.util.EnumMap;
import java.util.Map;

/**
 * The severity of each lint rule for one runbook: its defaults, overridden by the runbook's policy.
 */
final class LintPolicy {
  private final Map<LintRule, String> levels = new EnumMap<>(LintRule.class);

  LintPolicy(Map<String, String> overrides) {
    for (LintRule rule : LintRule.values()) {
      levels.put(rule, rule.defaultSeverity().label());
    }
    if (overrides != null) {
      overrides.forEach(
          (id, level) -> LintRule.byId(id).ifPresent(rule -> levels.put(rule, level)));
    }
  }

  void report(
      Diagnostics out, LintRule rule, String pointer, boolean atKey, String message, String hint) {
    String level = levels.get(rule);
    if ("off".equals(level)) {
      return;
    }
    Severity severity = "error".equals(level) ? Severity.ERROR : Severity.WARNING;
    out.add(
        severity,
        rule.id(),
        pointer,
        atKey ? out.keyPosition(pointer) : out.valuePosition(pointer),
        message,
        hint);
  }
}
