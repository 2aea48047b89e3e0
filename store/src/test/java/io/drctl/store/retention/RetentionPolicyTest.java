package io.drctl.store.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetentionPolicyTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void anOverrideTakesTheRunbooksDurationSyntaxAndPrintsItBack() throws Exception {
    RetentionPolicy policy =
        RetentionPolicy.SEED.overriddenBy(
            JSON.readTree("{\"wal\": \"1d12h\", \"maxAge\": \"30d\"}"));

    assertThat(policy.wal()).isEqualTo(Duration.ofHours(36));
    assertThat(policy.maxAge()).isEqualTo(Duration.ofDays(30));
    assertThat(policy.describe()).isEqualTo("daily 7, weekly 4, monthly 12, wal 1d12h, maxAge 30d");
  }

  @Test
  void aMalformedDurationIsNamedByItsRetentionField() throws Exception {
    assertThatThrownBy(
            () -> RetentionPolicy.SEED.overriddenBy(JSON.readTree("{\"maxAge\": \"a week\"}")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("retention.maxAge must be a duration such as 7d or 12h, not 'a week'");
    assertThatThrownBy(
            () -> RetentionPolicy.SEED.overriddenBy(JSON.readTree("{\"wal\": \"99999999d\"}")))
        .hasMessage("retention.wal must be a duration such as 7d or 12h, not '99999999d'");
  }
}
