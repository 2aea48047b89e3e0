package io.drctl.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DurationsTest {
  @ParameterizedTest
  @CsvSource({"500ms,PT0.5S", "30s,PT30S", "15m,PT15M", "1h30m,PT1H30M", "2d,PT48H", "90m,PT1H30M"})
  void parsesUnitSequences(String text, String iso) {
    assertThat(Durations.parse(text)).isEqualTo(Duration.parse(iso));
  }

  @Test
  void formatsTheShortestCanonicalText() {
    assertThat(Durations.canonical("90m")).isEqualTo("1h30m");
    assertThat(Durations.canonical("3600s")).isEqualTo("1h");
    assertThat(Durations.canonical("1500ms")).isEqualTo("1s500ms");
    assertThat(Durations.canonical("48h")).isEqualTo("2d");
  }

  @Test
  void rejectsTextThatIsNotADuration() {
    assertThat(Durations.isValid("30 minutes")).isFalse();
    assertThat(Durations.isValid("1.5h")).isFalse();
    assertThat(Durations.isValid("")).isFalse();
    assertThatThrownBy(() -> Durations.parse("PT15M")).hasMessageContaining("not a duration");
  }

  @Test
  void rejectsDurationsBeyondTenYearsInsteadOfOverflowing() {
    assertThat(Durations.isValid("3650d")).isTrue();
    assertThat(Durations.isValid("3651d")).isFalse();
    assertThat(Durations.isValid("99999999999999999999d")).isFalse();
  }
}
