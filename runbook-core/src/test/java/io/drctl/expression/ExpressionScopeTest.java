package io.drctl.expression;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cel.common.types.SimpleType;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExpressionScopeTest {
  private final ExpressionScope scope =
      ExpressionScope.builder()
          .add("inputs.until", SimpleType.TIMESTAMP)
          .add("steps.pick.output.sizeBytes", SimpleType.INT)
          .add("steps.pick.output.backupId", SimpleType.STRING)
          .build();

  @Test
  void qualifiedVariablesAreTypeChecked() {
    assertThat(scope.check("steps.pick.output.sizeBytes > 0").resultType())
        .isEqualTo(SimpleType.BOOL);
    ExpressionScope.Checked wrong = scope.check("steps.pick.output.sizeBytes > 'big'");
    assertThat(wrong.ok()).isFalse();
    assertThat(wrong.issues().get(0).getMessage()).contains("no matching overload");
  }

  @Test
  void referencesNameTheQualifiedVariables() {
    ExpressionScope.Checked checked =
        scope.check("steps.pick.output.backupId + '@' + string(inputs.until)");
    assertThat(checked.references()).containsExactly("inputs.until", "steps.pick.output.backupId");
  }

  /**
   * References come in name order in every JVM: the compiler reports the first unknown or mistyped
   * name, so a hash-ordered set made its errors differ from run to run.
   */
  @Test
  void referencesAreInNameOrderWhateverTheHashSeed() {
    ExpressionScope.Builder builder = ExpressionScope.builder();
    StringBuilder sum = new StringBuilder("0");
    java.util.List<String> names = new java.util.ArrayList<>();
    for (int i = 0; i < 12; i++) {
      String name = "steps.s" + (char) ('a' + i) + ".output.n";
      builder.add(name, SimpleType.INT);
      names.add(name);
      sum.append(" + ").append(name);
    }
    ExpressionScope many = builder.build();
    for (String expression : java.util.List.of(sum.toString(), sum.toString() + " + 1")) {
      assertThat(many.check(expression).references()).containsExactlyElementsOf(names);
    }
  }

  @Test
  void evaluatesWithValuesKeyedByQualifiedName() throws Exception {
    ExpressionScope.Checked checked =
        scope.check(
            "inputs.until < timestamp('2026-01-01T00:00:00Z') && steps.pick.output.sizeBytes == 3");
    Object result =
        scope.evaluate(
            checked.ast(),
            Map.of(
                "inputs.until",
                Instant.parse("2025-12-27T14:30:00Z"),
                "steps.pick.output.sizeBytes",
                3L));
    assertThat(result).isEqualTo(true);
  }

  @Test
  void syntaxErrorsCarryAColumn() {
    ExpressionScope.Checked checked = scope.check("1 == ");
    assertThat(checked.ok()).isFalse();
    assertThat(checked.issues().get(0).getSourceLocation().getColumn()).isEqualTo(5);
  }

  @Test
  void expressionsOfOneShapeShareACheckYetKeepTheirOwnReferencesTypesAndValues() throws Exception {
    ExpressionScope wide =
        ExpressionScope.builder()
            .add("steps.a.outcome", SimpleType.STRING)
            .add("steps.b.outcome", SimpleType.STRING)
            .add("steps.b.output.count", SimpleType.INT)
            .build();
    ExpressionScope.Checked a = wide.check("steps.a.outcome == 'success'");
    ExpressionScope.Checked b = wide.check("steps.b.outcome == 'success'");
    assertThat(a.references()).containsExactly("steps.a.outcome");
    assertThat(b.references()).containsExactly("steps.b.outcome");
    assertThat(b.resultType()).isEqualTo(SimpleType.BOOL);
    assertThat(
            wide.evaluate(
                b.ast(), Map.of("steps.a.outcome", "failed", "steps.b.outcome", "success")))
        .isEqualTo(true);
    // the same shape over a variable of another type is checked again, and fails
    ExpressionScope.Checked count = wide.check("steps.b.output.count == 'success'");
    assertThat(count.ok()).isFalse();
    assertThat(count.issues().get(0).getMessage()).contains("no matching overload");
    assertThat(count.issues().get(0).getSourceLocation().getColumn()).isEqualTo(21);
  }

  @Test
  void namesInsideStringsAndMacrosKeepTheirMeaning() throws Exception {
    ExpressionScope.Checked literal =
        scope.check("steps.pick.output.backupId == 'steps.pick.output.backupId'");
    assertThat(
            scope.evaluate(
                literal.ast(), Map.of("steps.pick.output.backupId", "steps.pick.output.backupId")))
        .isEqualTo(true);
    ExpressionScope.Checked has = scope.check("has(steps.pick.output.sizeBytes)");
    assertThat(has.ok()).isEqualTo(scope.check("has(steps.pick.output.sizeBytes)").ok());
    ExpressionScope.Checked method =
        scope.check("steps.pick.output.backupId.startsWith('backup_')");
    assertThat(method.resultType()).isEqualTo(SimpleType.BOOL);
    assertThat(method.references()).containsExactly("steps.pick.output.backupId");
  }
}
