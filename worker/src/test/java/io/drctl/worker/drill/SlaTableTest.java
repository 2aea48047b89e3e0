package io.drctl.worker.drill;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SlaTableTest {
  @Test
  void theTenthColumnHoldsRecoveryToATenthOfTheObjective() {
    List<List<String>> rows =
        SlaTable.rows(List.of(recovered("fast", 360.0), recovered("slow", 361.0)));
    int tenth = SlaTable.HEADER.indexOf("≤ RTO/10");
    assertThat(rows.get(0).get(tenth)).isEqualTo("yes");
    assertThat(rows.get(1).get(tenth)).isEqualTo("NO");
    assertThat(rows.get(1).get(SlaTable.HEADER.indexOf("MET"))).isEqualTo("yes");
    assertThat(recovered("fast", 360.0).rtoWithinATenth()).isTrue();
  }

  private static ScenarioResult recovered(String key, double rto) {
    return new ScenarioResult(
        key,
        "4A datacenter failure (fail-over)",
        "datacenter_failure",
        "datacenter_failure/pg-secondary",
        ScenarioResult.MET,
        "succeeded",
        "2026-12-07T03:00:00Z",
        "2026-12-07T03:06:00Z",
        rto,
        "1h",
        3600L,
        true,
        2.0,
        100L,
        20L,
        "postgres",
        "15m",
        900L,
        true,
        null,
        "health 200",
        null);
  }
}
