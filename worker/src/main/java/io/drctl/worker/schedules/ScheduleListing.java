package io.drctl.worker.schedules;

import io.drctl.worker.temporal.RpcErrors;
import io.grpc.Status;
import io.temporal.client.schedules.ScheduleActionResult;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleDescription;
import io.temporal.client.schedules.ScheduleListDescription;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The schedules drctl made in a namespace, whichever runbook owns them, with their next runs. */
public final class ScheduleListing {
  private ScheduleListing() {}

  /**
   * One schedule drctl made.
   *
   * @param runbook the runbook that owns it, or null when its memo names none (not made by drctl)
   * @param summary the incident and when it runs, e.g. {@code backup_daily, cron '0 1 * * *' (UTC)}
   * @param nextRuns the next start times Temporal computed, soonest first
   * @param lastRun when it last started an incident, or null
   */
  public record Entry(
      String id,
      String runbook,
      String summary,
      boolean paused,
      List<Instant> nextRuns,
      Instant lastRun) {}

  /**
   * Every schedule whose id has drctl's prefix, in id order (as the server lists them, eventually
   * consistent).
   */
  public static List<Entry> list(ScheduleClient client) {
    List<Entry> entries = new ArrayList<>();
    List<ScheduleListDescription> listed =
        client
            .listSchedules()
            .filter(s -> s.getScheduleId().startsWith(ScheduleSync.ID_PREFIX))
            .sorted(java.util.Comparator.comparing(ScheduleListDescription::getScheduleId))
            .toList();
    for (ScheduleListDescription schedule : listed) {
      ScheduleDescription description;
      try {
        description = client.getHandle(schedule.getScheduleId()).describe();
      } catch (RuntimeException e) {
        if (RpcErrors.is(e, Status.Code.NOT_FOUND)) {
          continue; // deleted since it was listed
        }
        throw e;
      }
      ScheduleDefinition definition = ScheduleSync.current(description);
      List<ScheduleActionResult> recent = description.getInfo().getRecentActions();
      entries.add(
          new Entry(
              schedule.getScheduleId(),
              ScheduleSync.ownerOf(description),
              definition.fields().containsKey("incident")
                  ? definition.summary()
                  : "(not written by drctl)",
              description.getSchedule().getState().isPaused(),
              description.getInfo().getNextActionTimes(),
              recent.isEmpty() ? null : recent.get(recent.size() - 1).getStartedAt()));
    }
    return entries;
  }
}
