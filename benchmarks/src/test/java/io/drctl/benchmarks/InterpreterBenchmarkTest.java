package io.drctl.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * One tiny round of both figures on the in-process Java test server: the harness still runs end to
 * end.
 */
class InterpreterBenchmarkTest {
  @Test
  void bothFiguresRunAndCompareTheContendersOnTheJavaTestServer() throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      InterpreterBenchmark.main(
          new String[] {
            "--server",
            "java",
            "--steps",
            "3",
            "--incidents",
            "1",
            "--warmup",
            "0",
            "--rounds",
            "1",
            "--concurrent",
            "3",
            "--concurrent-steps",
            "2",
            "--throughput-warmup",
            "0",
            "--throughput-rounds",
            "1",
            "--expressions",
            "true"
          });
    } finally {
      System.setOut(original);
    }
    String report = captured.toString(StandardCharsets.UTF_8);
    assertThat(report)
        .contains(
            "server: Java test server",
            "| wall time per step, ms |",
            "| incidents completed per second |",
            "ratio interpreted ÷ hand-written",
            "| interpreted | ");
  }
}
