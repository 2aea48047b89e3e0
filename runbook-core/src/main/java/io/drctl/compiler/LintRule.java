package io.drctl.compiler;

import io.drctl.compiler.Diagnostic.Severity;
import java.util.Arrays;
import java.util.Optional;

/** Policy findings: things that are allowed but risky. Each has a default severity. */
public enum LintRule {
  DESTRUCTIVE_WITHOUT_GUARD(
      "destructive-without-guard",
      Severity.ERROR,
      "a destructive step (restore over live data, volume removal, flush, promotion) without an approval or a safety copy before it"),
  MISSING_RPO(
      "missing-rpo", Severity.WARNING, "an incident that touches data but sets no objectives.rpo"),
  UNUSED_INPUT("unused-input", Severity.WARNING, "an input that no expression reads"),
  UNUSED_TARGET("unused-target", Severity.WARNING, "a target that no step or expression uses"),
  NEVER_RUNS("never-runs", Severity.WARNING, "a step whose condition is always false"),
  TEMPLATE_IN_SQL(
      "template-in-sql",
      Severity.ERROR,
      "a ${{ }} spliced into SQL text, where a value becomes code: pass it in parameters instead");

  private final String id;
  private final Severity defaultSeverity;
  private final String description;

  LintRule(String id, Severity defaultSeverity, String description) {
    this.id = id;
    this.defaultSeverity = defaultSeverity;
    this.description = description;
  }

  public String id() {
    return id;
  }

  public Severity defaultSeverity() {
    return defaultSeverity;
  }

  public String description() {
    return description;
  }

  public static Optional<LintRule> byId(String id) {
    return Arrays.stream(values()).filter(r -> r.id.equals(id)).findFirst();
  }
}
