package io.drctl.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The detection time an alert gives: its startsAt, when the sender wrote a usable one. */
class AlertTest {
  private static Alert startingAt(String startsAt) {
    return new Alert(
        "alertmanager",
        Alert.FIRING,
        Map.of("alertname", "PostgresDown"),
        Map.of(),
        "fp",
        startsAt,
        null);
  }

  @Test
  void startsAtIsReadWithItsOffsetAndAnUnusableOneGivesTheFallback() {
    assertThat(startingAt("2026-12-06T10:00:00Z").startsAtMillis(-1)).isEqualTo(1796551200000L);
    assertThat(startingAt("2026-12-06T11:00:00+01:00").startsAtMillis(-1))
        .isEqualTo(1796551200000L);
    assertThat(startingAt("2026-12-06T10:00:00.250Z").startsAtMillis(-1)).isEqualTo(1796551200250L);
    // Alertmanager's zero time means "unknown", not the year 1.
    assertThat(startingAt("0001-01-01T00:00:00Z").startsAtMillis(42)).isEqualTo(42);
    assertThat(startingAt("yesterday").startsAtMillis(42)).isEqualTo(42);
    assertThat(startingAt(null).startsAtMillis(42)).isEqualTo(42);
  }
}
