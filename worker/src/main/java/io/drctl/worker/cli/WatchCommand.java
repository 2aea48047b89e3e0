package io.drctl.worker.cli;

import io.drctl.worker.temporal.TemporalConnection;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code drctl watch ID}: a live view of an incident until it ends. */
@Command(
    name = "watch",
    mixinStandardHelpOptions = true,
    description = {
      "Shows an incident live, redrawn every second, until it ends.",
      "Running steps show a progress bar from their activity's last heartbeat.",
      "Exit status: 0 succeeded, 1 failed, 2 aborted or ended otherwise (or no such incident), 3 Temporal unreachable."
    })
class WatchCommand extends TemporalCommand {
  private static final String CLEAR_SCREEN = "\033[H\033[2J";

  @Parameters(paramLabel = "ID", description = "Workflow id of the incident.")
  String workflowId;

  @Option(
      names = "--interval",
      paramLabel = "SECONDS",
      defaultValue = "1",
      description = "Seconds between refreshes (default: ${DEFAULT-VALUE}).")
  double intervalSeconds;

  @Override
  int run(TemporalConnection connection) throws InterruptedException {
    if (!(intervalSeconds >= 0.1 && intervalSeconds <= 3600)) {
      throw new Failures.UserError("--interval " + intervalSeconds + ": give 0.1 to 3600 seconds");
    }
    PrintWriter out = spec.commandLine().getOut();
    // On a terminal the view is redrawn in place; into a file or pipe, only changes are written.
    boolean terminal = System.console() != null;
    Duration interval = Duration.ofMillis((long) (intervalSeconds * 1000));
    String previous = null;
    while (true) {
      IncidentSnapshot snapshot = IncidentSnapshot.take(connection.client(), workflowId);
      StringWriter frame = new StringWriter();
      IncidentPrinter.print(snapshot, new PrintWriter(frame));
      String text = frame.toString();
      if (terminal) {
        out.print(
            CLEAR_SCREEN
                + text
                + "\n"
                + java.time.LocalTime.now().withNano(0)
                + "  refreshing every "
                + intervalSeconds
                + " s; Ctrl-C stops watching, the incident goes on\n");
      } else if (!text.equals(previous)) {
        out.print((previous == null ? "" : "\n") + text);
      }
      out.flush();
      previous = text;
      if (!snapshot.running()) {
        String outcome = snapshot.outcome();
        out.println();
        out.println(workflowId + ": " + outcome);
        out.flush();
        return switch (outcome) {
          case "succeeded" -> 0;
          case "failed" -> 1;
          default -> 2;
        };
      }
      Thread.sleep(interval.toMillis());
    }
  }
}
