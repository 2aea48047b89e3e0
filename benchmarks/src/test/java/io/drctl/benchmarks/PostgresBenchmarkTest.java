package io.drctl.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * One round of the PostgreSQL benchmark on the smallest dataset (scale 1, about 10 MB) and 16 MB of
 * WAL: real clusters, our actions, pg_dump/pg_restore and pgBackRest all run end to end, every
 * restore is checked, and the report compares each of ours with its baseline.
 */
class PostgresBenchmarkTest {
  @Test
  void oneSmallRoundRunsEveryContenderAndReportsEachRatioAgainstItsGoal() throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      PostgresBenchmark.run("--size-mb", "5", "--rounds", "1", "--wal-mb", "16");
    } finally {
      System.setOut(original);
    }
    String report = captured.toString(StandardCharsets.UTF_8);
    System.out.println(report);
    assertThat(report)
        .contains(
            "dataset scale 1",
            "round 1 done",
            "| dump: pg_dump -Fc -f FILE | ",
            "| dump: pg_dump -Fd -j2 -f DIR | ",
            "| restore: drctl postgres.restore from the store, jobs 2 | ",
            "| base backup: pgbackrest backup --type=full | ",
            "| PITR: drctl postgres.pitr",
            "| dump: drctl postgres.dump → S3Proxy store",
            "| restore: drctl postgres.restore from the S3Proxy store",
            "| base backup: pgbackrest backup --type=full (process-max=2, compress-type=lz4) | ",
            "| PITR: pgbackrest restore --type=time + start + replay to promotion (process-max=2, compress-type=zst) | ");
    assertThat(report.lines().filter(line -> line.startsWith("| ") && line.contains("≤ 1.")))
        .hasSize(10)
        .allMatch(
            line ->
                line.matches(
                    ".*\\| \\d+\\.\\d\\d \\(\\d+\\.\\d\\d–\\d+\\.\\d\\d\\) \\| ≤ 1\\.\\d+: .*"));
    assertThat(
            report
                .lines()
                .filter(
                    line ->
                        line.startsWith("| ")
                            && line.matches(
                                ".*\\| \\d+\\.\\d\\d \\(\\d+\\.\\d\\d–\\d+\\.\\d\\d\\): (met|\\*\\*not met\\*\\*) \\| .* \\| (defaults|lz4|zstd) \\|")))
        .as("ours against the fastest pgBackRest setting")
        .hasSize(4);
  }

  @Test
  void aMistypedOptionIsRejectedWithTheOptionsListed() {
    assertThatThrownBy(() -> PostgresBenchmark.Options.parse(new String[] {"--size", "5"}))
        .hasMessage(
            "unknown option --size; options: --size-mb N, --rounds N, --wal-mb N, --dir DIR, --keep");
    assertThatThrownBy(() -> PostgresBenchmark.Options.parse(new String[] {"--rounds", "zero"}))
        .hasMessage("--rounds must be a positive integer, was zero");
  }
}
