package io.drctl.expression;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cel.common.types.SimpleType;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExpressionScopeTest {
  private final ExpressionScope scope = ExpressionScope.builder()
      .add("inputs.until", SimpleType.TIMESTAMP)
      .add("steps.pick.output.sizeBytes", SimpleType.INT)
      .add("steps.pick.output.backupId", SimpleType.STRING)
      .build();

  @Test
  void qualifiedVariablesAreTypeChecked() {
    assertThat(scope.check("steps.pick.output.sizeBytes > 0").resultType()).isEqualTo(SimpleType.BOOL);
    ExpressionScope.Checked wrong = scope.check("steps.pick.output.sizeBytes > 'big'");
    assertThat(wrong.ok()).isFalse();
    assertThat(wrong.issues().get(0).getMessage()).contains("no matching overload");
  }

  @Test
  void referencesNameTheQualifiedVariables() {
    ExpressionScope.Checked checked = scope.check("steps.pick.output.backupId + '@' + string(inputs.until)");
    assertThat(checked.references()).containsExactly("inputs.until", "steps.pick.output.backupId");
  }

  @Test
  void evaluatesWithValuesKeyedByQualifiedName() throws Exception {
    ExpressionScope.Checked checked = scope.check("inputs.until < timestamp('2026-01-01T00:00:00Z') && steps.pick.output.sizeBytes == 3");
    Object result = scope.evaluate(checked.ast(), Map.of(
        "inputs.until", Instant.parse("2025-12-27T14:30:00Z"), "steps.pick.output.sizeBytes", 3L));
    assertThat(result).isEqualTo(true);
  }

  @Test
  void syntaxErrorsCarryAColumn() {
    ExpressionScope.Checked checked = scope.check("1 == ");
    assertThat(checked.ok()).isFalse();
    assertThat(checked.issues().get(0).getSourceLocation().getColumn()).isEqualTo(5);
  }
}
