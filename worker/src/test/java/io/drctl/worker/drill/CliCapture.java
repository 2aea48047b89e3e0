package io.drctl.worker.drill;

import io.drctl.testing.ThreadOutput;
import io.drctl.worker.cli.Drctl;

/** {@code drctl} run in this JVM as an operator runs it, with what it printed. */
record CliCapture(int exitCode, String out, String err) {
  static CliCapture run(String... args) {
    ThreadOutput.Captured<Integer> run = ThreadOutput.capture(() -> Drctl.run(args));
    return new CliCapture(run.value(), run.out(), run.err());
  }
}
