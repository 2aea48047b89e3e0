package io.drctl.worker.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.drctl.sandbox.SandboxException;
import io.drctl.sandbox.SandboxNotifications;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code drctl sandbox notifications}. */
@Command(
    name = "notifications",
    mixinStandardHelpOptions = true,
    description = {
      "Prints what the sandbox's slack and pagerduty stand-ins received, oldest first, refused ones",
      "(a wrong token or routing key) marked. Needs no Docker engine: it asks the sinks over HTTP."
    })
final class SandboxNotificationsCommand implements Callable<Integer> {
  private static final long FOLLOW_INTERVAL_MILLIS = 1000;
  private static final ObjectMapper JSON_LINE = new ObjectMapper();

  @Spec CommandSpec spec;
  @Mixin SandboxCommand.Which which;

  @Option(
      names = {"-f", "--follow"},
      description = "Keep printing new messages as they arrive, until interrupted.")
  boolean follow;

  /** json: one JSON object a message (id, service, receivedAt, status, body). */
  @Mixin FormatOption output;

  @Override
  public Integer call() throws InterruptedException {
    SandboxNotifications sinks = new SandboxNotifications(which.layout());
    PrintWriter out = spec.commandLine().getOut();
    String last = null;
    do {
      List<SandboxNotifications.Notification> found;
      try {
        found = sinks.after(last);
      } catch (SandboxException e) {
        throw new Failures.UserError(e.getMessage(), SandboxCommand.UNHEALTHY);
      }
      for (SandboxNotifications.Notification notification : found) {
        out.println(
            output.json()
                ? JSON_LINE.valueToTree(notification).toString()
                : notification.describe());
        last = notification.id();
      }
      out.flush();
      if (follow) {
        Thread.sleep(FOLLOW_INTERVAL_MILLIS);
      }
    } while (follow);
    return 0;
  }
}
