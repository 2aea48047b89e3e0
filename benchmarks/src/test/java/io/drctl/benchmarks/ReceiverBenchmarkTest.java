package io.drctl.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * One small run of the receiver benchmark in a JVM of its own, on the in-process Java test server:
 * it reports its ratio and the JVM then exits by itself. `benchmarks/run all` runs each benchmark
 * as a process and waits for it, so a thread left running after the report held the whole run up.
 */
class ReceiverBenchmarkTest {
  @Test
  void aSmallRunReportsItsRatioAndItsJvmExitsOnItsOwn() throws Exception {
    Path output = Files.createTempFile("drctl-receiver-bench", ".out");
    try {
      Process process =
          new ProcessBuilder(
                  List.of(
                      Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                      "-cp",
                      System.getProperty("java.class.path"),
                      ReceiverBenchmark.class.getName(),
                      "--server",
                      "java",
                      "--alerts",
                      "20",
                      "--senders",
                      "4",
                      "--rounds",
                      "1"))
              .redirectErrorStream(true)
              .redirectOutput(output.toFile())
              .start();
      // Generous: the run itself takes a few seconds; before the fix the JVM never exited.
      boolean exited = process.waitFor(3, TimeUnit.MINUTES);
      if (!exited) {
        process.destroyForcibly().waitFor();
      }
      String report = Files.readString(output, StandardCharsets.UTF_8);
      assertThat(report).contains("| median | ");
      assertThat(exited).as("the benchmark's JVM exited by itself; output:%n%s", report).isTrue();
      assertThat(process.exitValue()).as(report).isZero();
    } finally {
      Files.deleteIfExists(output);
    }
  }
}
