package io.drctl.worker.cli;

import io.drctl.compiler.CompiledRunbook;
import io.drctl.store.text.TextTable;
import io.drctl.worker.schedules.ScheduleConflictException;
import io.drctl.worker.schedules.ScheduleListing;
import io.drctl.worker.schedules.ScheduleSync;
import io.drctl.worker.temporal.RpcErrors;
import io.drctl.worker.temporal.TemporalConnection;
import io.grpc.Status;
import java.io.PrintWriter;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code drctl schedules sync|list}: the runbook's {@code schedules} section as Temporal Schedules,
 * each starting its incident with the plan pinned as {@code drctl start} does.
 */
@Command(
    name = "schedules",
    mixinStandardHelpOptions = true,
    description = "The runbook's schedules as Temporal Schedules: sync, list.",
    subcommands = {SchedulesCommand.Sync.class, SchedulesCommand.ListSchedules.class})
final class SchedulesCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(
      name = "sync",
      mixinStandardHelpOptions = true,
      description = {
        "Makes the Temporal Schedules match the runbook: creates, updates and deletes the schedules drctl",
        "owns for this runbook (id drctl/ID, memo naming the runbook), never any other. Prints the changes first.",
        "Exit status: 0 in sync, 2 bad runbook or a schedule id taken by another, 3 Temporal unreachable."
      })
  static final class Sync extends TemporalCommand {
    @Option(names = "--dry-run", description = "Print what would change, and change nothing.")
    boolean dryRun;

    @Mixin RunbookSource runbook;

    private CompiledRunbook compiled;

    @Override
    void prepare() {
      compiled = runbook.compile(spec.commandLine().getErr());
    }

    @Override
    int run(TemporalConnection connection) {
      PrintWriter out = spec.commandLine().getOut();
      ScheduleSync sync =
          new ScheduleSync(connection.schedules(), compiled, connection.settings().taskQueue());
      out.println(
          "schedules of runbook '"
              + sync.owner()
              + "' ("
              + runbook.file
              + ") in namespace "
              + connection.settings().namespace()
              + " at "
              + connection.settings().address()
              + ", task queue "
              + connection.settings().taskQueue()
              + (dryRun ? " (dry run)" : ""));
      sync(sync, dryRun, out, connection);
      return 0;
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = {
        "Lists the schedules drctl made in the namespace, with their runbook and next runs.",
        "Exit status: 0, 3 Temporal unreachable."
      })
  static final class ListSchedules extends TemporalCommand {
    @Override
    int run(TemporalConnection connection) {
      PrintWriter out = spec.commandLine().getOut();
      List<ScheduleListing.Entry> entries =
          schedulesApi(connection, () -> ScheduleListing.list(connection.schedules()));
      if (entries.isEmpty()) {
        out.println(
            "no drctl schedules in namespace "
                + connection.settings().namespace()
                + "; create them with"
                + " drctl schedules sync");
        out.flush();
        return 0;
      }
      TextTable table =
          new TextTable(
              "schedule", "incident and when", "state", "next runs (UTC)", "last run", "runbook");
      for (ScheduleListing.Entry entry : entries) {
        table.row(
            entry.id(),
            entry.summary(),
            entry.paused() ? "paused" : "active",
            entry.nextRuns().stream()
                .limit(2)
                .map(IncidentPrinter::utc)
                .collect(Collectors.joining(", ")),
            entry.lastRun() == null ? "never" : IncidentPrinter.utc(entry.lastRun()),
            entry.runbook() == null ? "(none)" : entry.runbook());
      }
      table.print(out);
      out.flush();
      return 0;
    }
  }

  /** Plans, prints each change, applies it unless a dry run, and ends with the counts. */
  static void sync(
      ScheduleSync sync, boolean dryRun, PrintWriter out, TemporalConnection connection) {
    List<ScheduleSync.Change> changes;
    try {
      changes = schedulesApi(connection, sync::plan);
    } catch (ScheduleConflictException e) {
      throw new Failures.UserError(e.getMessage());
    }
    int width = changes.stream().mapToInt(change -> change.scheduleId().length()).max().orElse(0);
    for (ScheduleSync.Change change : changes) {
      String line =
          String.format(
              "  %-10s %s",
              change.kind().name().toLowerCase(java.util.Locale.ROOT), change.scheduleId());
      if (change.kind() == ScheduleSync.Kind.CREATE) {
        line =
            String.format(
                "  %-10s %-" + width + "s  %s",
                "create",
                change.scheduleId(),
                String.join(", ", change.details()));
      } else if (change.kind() == ScheduleSync.Kind.UPDATE) {
        line += "\n      " + String.join("\n      ", change.details());
      }
      out.println(line);
    }
    if (!dryRun) {
      schedulesApi(
          connection,
          () -> {
            sync.apply(changes);
            return changes;
          });
    }
    Map<ScheduleSync.Kind, Long> counts = new EnumMap<>(ScheduleSync.Kind.class);
    changes.forEach(change -> counts.merge(change.kind(), 1L, Long::sum));
    String tally =
        counts.getOrDefault(ScheduleSync.Kind.CREATE, 0L)
            + (dryRun ? " to create, " : " created, ")
            + counts.getOrDefault(ScheduleSync.Kind.UPDATE, 0L)
            + (dryRun ? " to update, " : " updated, ")
            + counts.getOrDefault(ScheduleSync.Kind.DELETE, 0L)
            + (dryRun ? " to delete, " : " deleted, ")
            + counts.getOrDefault(ScheduleSync.Kind.UNCHANGED, 0L)
            + " unchanged";
    out.println(dryRun ? "dry run: " + tally + "; nothing was changed" : tally);
    out.flush();
  }

  /** Runs a Schedules call, saying plainly when the server has no Schedules API. */
  private static <T> T schedulesApi(TemporalConnection connection, Supplier<T> call) {
    try {
      return call.get();
    } catch (RuntimeException e) {
      if (RpcErrors.is(e, Status.Code.UNIMPLEMENTED)) {
        throw new Failures.UserError(
            "Temporal at "
                + connection.settings().address()
                + " has no Schedules API ("
                + RpcErrors.describe(e)
                + "); the Java test server lacks it: use the Temporal CLI's dev server"
                + " (bin/setup temporal, then drctl dev) or a real cluster",
            TemporalCommand.UNAVAILABLE);
      }
      throw e;
    }
  }
}
