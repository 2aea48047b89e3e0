package io.drctl.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * One round of the Redis benchmark on 20,000 keys: real redis-server processes, our backup and
 * restore and the raw BGSAVE and restart all run end to end, every backup must carry a fingerprint,
 * every restore is checked, and the report compares each of ours with its baseline.
 */
class RedisBenchmarkTest {
  @Test
  void oneSmallRoundRunsEveryContenderAndReportsEachRatioAgainstItsGoal() throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      RedisBenchmark.run("--keys", "20000", "--rounds", "1");
    } finally {
      System.setOut(original);
    }
    String report = captured.toString(StandardCharsets.UTF_8);
    System.out.println(report);
    assertThat(report)
        .contains(
            "seeded 20000 keys",
            "round 1 done",
            "| backup: BGSAVE + copy dump.rdb | ",
            "| restore: SHUTDOWN NOSAVE + copy RDB + restart until loading:0 | ",
            "fingerprint: keyset-xxh64-sum64:");
    assertThat(report.lines().filter(line -> line.startsWith("| ") && line.contains("≤ 1.")))
        .hasSize(2)
        .allMatch(
            line ->
                line.matches(
                    ".*\\| \\d+\\.\\d\\d \\(\\d+\\.\\d\\d–\\d+\\.\\d\\d\\) \\| ≤ 1\\.15: .*"));
  }

  @Test
  void aMistypedOptionIsRejectedWithTheOptionsListed() {
    assertThatThrownBy(() -> RedisBenchmark.Options.parse(new String[] {"--key", "5"}))
        .hasMessage(
            "unknown option --key; options: --keys N, --value-bytes N, --rounds N, --dir DIR, --keep");
    assertThatThrownBy(() -> RedisBenchmark.Options.parse(new String[] {"--rounds", "zero"}))
        .hasMessage("--rounds must be a positive integer, was zero");
    assertThatThrownBy(() -> RedisBenchmark.Options.parse(new String[] {"--value-bytes", "50"}))
        .hasMessage("--value-bytes must be at least 120, was 50");
  }

  @Test
  void valuesHaveTheAskedSizeAndDifferByKey() throws Exception {
    RedisBenchmark.Options options =
        RedisBenchmark.Options.parse(new String[] {"--value-bytes", "176"});
    var benchmark = RedisBenchmark.forValues(options);

    assertThat(benchmark.value(42)).hasSize(176);
    assertThat(benchmark.value(1_000_000)).hasSize(176);
    assertThat(benchmark.value(1)).isNotEqualTo(benchmark.value(2));
    assertThat(new String(RedisBenchmark.key(42), StandardCharsets.US_ASCII))
        .isEqualTo("user:00000042:profile");
  }
}
