package io.drctl.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class TimestampsTest {
  @Test
  void aTimeAlwaysHasMillisecondsSoThatItsTextSortsAsTheTimeDoes() {
    long wholeSecond = Instant.parse("2026-11-27T20:34:20Z").toEpochMilli();

    assertThat(Timestamps.ofMillis(wholeSecond)).isEqualTo("2026-11-27T20:34:20.000Z");
    assertThat(Timestamps.ofMillis(wholeSecond + 350)).isEqualTo("2026-11-27T20:34:20.350Z");
    assertThat(Timestamps.ofMillis(wholeSecond)).isLessThan(Timestamps.ofMillis(wholeSecond + 350));
    assertThat(Timestamps.ofMillis(0)).isNull();
  }
}
