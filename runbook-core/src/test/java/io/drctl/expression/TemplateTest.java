package io.drctl.expression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TemplateTest {
  @Test
  void plainTextHasNoExpressions() throws Exception {
    Template template = Template.parse("pg_dump -Fc thebot_db");
    assertThat(template.hasExpressions()).isFalse();
    assertThat(template.segments())
        .singleElement()
        .extracting(Template.Segment::text)
        .isEqualTo("pg_dump -Fc thebot_db");
  }

  @Test
  void singleExpressionKeepsItsOffsetInsideTheString() throws Exception {
    Template template = Template.parse("${{  steps.pick.output.backupId }}");
    assertThat(template.isSingleExpression()).isTrue();
    Template.Segment segment = template.segments().get(0);
    assertThat(segment.text()).isEqualTo("steps.pick.output.backupId");
    assertThat(segment.offset()).isEqualTo(5);
  }

  @Test
  void mixedTextSplitsIntoLiteralAndExpressionSegments() throws Exception {
    Template template = Template.parse("restore ${{ inputs.from }} to ${{ targets.db.host }}!");
    assertThat(template.segments())
        .extracting(Template.Segment::expression)
        .containsExactly(false, true, false, true, false);
    assertThat(template.isSingleExpression()).isFalse();
  }

  @Test
  void doubledDollarWritesALiteralOpener() throws Exception {
    Template template = Template.parse("echo $${{ not an expression }}");
    assertThat(template.hasExpressions()).isFalse();
    assertThat(template.segments().get(0).text()).isEqualTo("echo ${{ not an expression }}");
  }

  @Test
  void unclosedExpressionReportsItsOffset() {
    assertThatThrownBy(() -> Template.parse("abc ${{ inputs.x"))
        .isInstanceOf(Template.TemplateException.class)
        .hasMessageContaining("not closed")
        .extracting(e -> ((Template.TemplateException) e).offset())
        .isEqualTo(4);
  }

  @Test
  void emptyExpressionIsRejected() {
    assertThatThrownBy(() -> Template.parse("${{   }}")).hasMessageContaining("empty expression");
  }

  @Test
  void conditionMayBeBareOrWrapped() throws Exception {
    assertThat(Template.condition("  inputs.force ").text()).isEqualTo("inputs.force");
    assertThat(Template.condition("  inputs.force ").offset()).isEqualTo(2);
    assertThat(Template.condition("${{ inputs.force }}").text()).isEqualTo("inputs.force");
  }

  @Test
  void conditionWithTextAroundAnExpressionIsRejected() {
    assertThatThrownBy(() -> Template.condition("x ${{ inputs.force }}"))
        .hasMessageContaining("one CEL expression");
  }
}
