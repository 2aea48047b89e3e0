package io.drctl.worker.schedules;

import io.drctl.compiler.CompiledRunbook;
import io.drctl.plan.Plan;
import io.drctl.plan.ScheduledIncident;
import io.drctl.worker.temporal.IncidentLaunch;
import io.drctl.worker.temporal.RpcErrors;
import io.drctl.workflow.StartRequest;
import io.grpc.Status;
import io.temporal.api.enums.v1.ScheduleOverlapPolicy;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.schedules.Schedule;
import io.temporal.client.schedules.ScheduleActionStartWorkflow;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleDescription;
import io.temporal.client.schedules.ScheduleHandle;
import io.temporal.client.schedules.ScheduleIntervalSpec;
import io.temporal.client.schedules.ScheduleListDescription;
import io.temporal.client.schedules.ScheduleOptions;
import io.temporal.client.schedules.SchedulePolicy;
import io.temporal.client.schedules.ScheduleSpec;
import io.temporal.client.schedules.ScheduleState;
import io.temporal.client.schedules.ScheduleUpdate;
import io.temporal.common.converter.EncodedValues;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Makes a namespace's Temporal Schedules match a runbook's {@code schedules} section. drctl owns a
 * schedule when its id starts with {@value #ID_PREFIX} and its memo names this runbook; it creates,
 * updates and deletes only those, and never touches any other schedule.
 *
 * <p>Each schedule's action starts the incident exactly as {@code drctl start} does ({@link
 * IncidentLaunch}): the plan compiled here is pinned in the start request, on the workers' task
 * queue. Runs get the workflow id {@code scheduled-ID-<time>} (Temporal appends the time).
 *
 * <p>Call rules: {@link #plan()} reads only; {@link #apply} changes the namespace as planned.
 */
public final class ScheduleSync {
  /** The prefix of every schedule id drctl makes. */
  public static final String ID_PREFIX = "drctl/";

  /** Schedule memo: the runbook that owns it. */
  static final String RUNBOOK_MEMO = "drctlRunbook";

  /** Memo of the action: the {@link ScheduleDefinition} drctl wrote. */
  static final String DEFINITION_MEMO = "drctlSchedule";

  /** The workflow id prefix of scheduled runs, before the schedule's own id. */
  static final String RUN_PREFIX = "scheduled-";

  /** What a sync does to one schedule. */
  public enum Kind {
    CREATE,
    UPDATE,
    DELETE,
    UNCHANGED
  }

  /**
   * One schedule's fate.
   *
   * @param scheduleId the Temporal schedule id, e.g. {@code drctl/backup-daily}
   * @param details for an update each changed field ({@code cron: '0 1 * * *' -> '30 1 * * *'});
   *     for a creation what it runs; else empty
   */
  public record Change(Kind kind, String scheduleId, List<String> details) {}

  private final ScheduleClient client;
  private final CompiledRunbook runbook;
  private final String taskQueue;
  private final String owner;
  private final Map<String, Desired> desired = new LinkedHashMap<>();

  private record Desired(ScheduledIncident schedule, Plan plan, ScheduleDefinition definition) {}

  public ScheduleSync(ScheduleClient client, CompiledRunbook runbook, String taskQueue) {
    this.client = client;
    this.runbook = runbook;
    this.taskQueue = taskQueue;
    this.owner = owner(runbook);
    for (ScheduledIncident schedule : runbook.schedules()) {
      Plan plan =
          runbook
              .plan(schedule.incident())
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "the compiler passed schedule '"
                              + schedule.id()
                              + "' without a plan for '"
                              + schedule.incident()
                              + "'"));
      desired.put(
          ID_PREFIX + schedule.id(),
          new Desired(schedule, plan, ScheduleDefinition.of(schedule, plan, taskQueue)));
    }
  }

  /** The name that marks a runbook's schedules: its {@code name}, else its file name. */
  public static String owner(CompiledRunbook runbook) {
    return runbook.name() != null
        ? runbook.name()
        : String.valueOf(Path.of(runbook.file()).getFileName());
  }

  public String owner() {
    return owner;
  }

  /**
   * Compares the runbook with the namespace: one change per schedule of the runbook, in its order,
   * then the deletions.
   *
   * @throws ScheduleConflictException when an id the runbook needs is taken by a schedule drctl
   *     does not own; nothing is planned then
   */
  public List<Change> plan() {
    List<Change> changes = new ArrayList<>();
    List<String> conflicts = new ArrayList<>();
    for (Map.Entry<String, Desired> entry : desired.entrySet()) {
      String id = entry.getKey();
      ScheduleDefinition wanted = entry.getValue().definition();
      Optional<ScheduleDescription> found = describe(id);
      if (found.isEmpty()) {
        changes.add(
            new Change(
                Kind.CREATE,
                id,
                List.of(
                    entry.getValue().schedule().incident()
                        + ", "
                        + entry.getValue().schedule().timing()
                        + (wanted.paused() ? ", paused" : ""))));
        continue;
      }
      String foundOwner = ownerOf(found.get());
      if (!owner.equals(foundOwner)) {
        conflicts.add(
            id
                + (foundOwner == null
                    ? " exists and was not made by drctl"
                    : " belongs to runbook '" + foundOwner + "'"));
        continue;
      }
      List<String> differences = wanted.changesSince(current(found.get()));
      changes.add(
          new Change(differences.isEmpty() ? Kind.UNCHANGED : Kind.UPDATE, id, differences));
    }
    if (!conflicts.isEmpty()) {
      throw new ScheduleConflictException(
          "runbook '"
              + owner
              + "' needs schedule ids that drctl does not own: "
              + String.join("; ", conflicts)
              + ". Nothing was changed; rename the runbook's schedule, or delete the other one"
              + " (temporal schedule delete --schedule-id ID)");
    }
    for (ScheduleListDescription listed : listOwned()) {
      // The list lags behind: confirm that the schedule is still there and still this runbook's.
      String id = listed.getScheduleId();
      if (!desired.containsKey(id)
          && describe(id).filter(d -> owner.equals(ownerOf(d))).isPresent()) {
        changes.add(new Change(Kind.DELETE, id, List.of()));
      }
    }
    return changes;
  }

  /** Carries out {@code changes} from {@link #plan()}, in order. */
  public void apply(List<Change> changes) {
    for (Change change : changes) {
      switch (change.kind()) {
        case CREATE ->
            client.createSchedule(
                change.scheduleId(),
                schedule(desired.get(change.scheduleId())),
                ScheduleOptions.newBuilder().setMemo(Map.of(RUNBOOK_MEMO, owner)).build());
        case UPDATE ->
            update(client.getHandle(change.scheduleId()), desired.get(change.scheduleId()));
        case DELETE -> client.getHandle(change.scheduleId()).delete();
        case UNCHANGED -> {}
      }
    }
  }

  /**
   * The schedules with drctl's prefix that this runbook owns, as the server lists them (listing is
   * eventually consistent: one created a moment ago may be missing).
   */
  public List<ScheduleListDescription> listOwned() {
    return client
        .listSchedules()
        .filter(s -> s.getScheduleId().startsWith(ID_PREFIX))
        .filter(s -> owner.equals(memo(s.getMemo(RUNBOOK_MEMO, String.class))))
        .toList();
  }

  private void update(ScheduleHandle handle, Desired wanted) {
    handle.update(input -> new ScheduleUpdate(schedule(wanted)));
    // Pausing is its own call: an update does not change whether a schedule is paused.
    boolean paused = handle.describe().getSchedule().getState().isPaused();
    if (paused != wanted.schedule().paused()) {
      String note = "drctl schedules sync: " + runbook.file();
      if (wanted.schedule().paused()) {
        handle.pause(note);
      } else {
        handle.unpause(note);
      }
    }
  }

  private Schedule schedule(Desired wanted) {
    ScheduledIncident schedule = wanted.schedule();
    StartRequest request =
        new StartRequest(
            wanted.plan(),
            schedule.inputs(),
            "schedule " + ID_PREFIX + schedule.id(),
            schedule.note());
    WorkflowOptions options =
        IncidentLaunch.options(request, RUN_PREFIX + schedule.id(), taskQueue)
            .setMemo(Map.of(DEFINITION_MEMO, wanted.definition().toJson()))
            .build();
    ScheduleActionStartWorkflow action =
        ScheduleActionStartWorkflow.newBuilder()
            .setWorkflowType(wanted.plan().type())
            .setOptions(options)
            .setArguments(IncidentLaunch.envelope(request))
            .build();
    ScheduleSpec.Builder spec = ScheduleSpec.newBuilder();
    if (schedule.cron() != null) {
      spec.setCronExpressions(List.of(schedule.cron())).setTimeZoneName(schedule.timeZone());
    } else {
      spec.setIntervals(List.of(new ScheduleIntervalSpec(schedule.interval())));
    }
    SchedulePolicy.Builder policy =
        SchedulePolicy.newBuilder().setOverlap(overlap(schedule.overlap()));
    if (schedule.catchupWindow() != null) {
      policy.setCatchupWindow(schedule.catchupWindow());
    }
    ScheduleState.Builder state = ScheduleState.newBuilder().setPaused(schedule.paused());
    if (schedule.note() != null) {
      state.setNote(schedule.note());
    }
    return Schedule.newBuilder()
        .setAction(action)
        .setSpec(spec.build())
        .setPolicy(policy.build())
        .setState(state.build())
        .build();
  }

  private static ScheduleOverlapPolicy overlap(ScheduledIncident.Overlap overlap) {
    return switch (overlap) {
      case SKIP -> ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_SKIP;
      case BUFFER_ONE -> ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_BUFFER_ONE;
      case BUFFER_ALL -> ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_BUFFER_ALL;
      case CANCEL_OTHER -> ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_CANCEL_OTHER;
      case TERMINATE_OTHER -> ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_TERMINATE_OTHER;
      case ALLOW_ALL -> ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_ALLOW_ALL;
    };
  }

  private Optional<ScheduleDescription> describe(String id) {
    try {
      return Optional.of(client.getHandle(id).describe());
    } catch (RuntimeException e) {
      if (RpcErrors.is(e, Status.Code.NOT_FOUND)) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** What drctl last wrote into a schedule it owns, with the paused state the server reports. */
  static ScheduleDefinition current(ScheduleDescription description) {
    boolean paused = description.getSchedule().getState().isPaused();
    if (description.getSchedule().getAction() instanceof ScheduleActionStartWorkflow action
        && action.getOptions().getMemo() != null
        && action.getOptions().getMemo().get(DEFINITION_MEMO) instanceof EncodedValues stored) {
      return ScheduleDefinition.fromJson(stored.get(0, String.class)).withPaused(paused);
    }
    // Changed by hand into something drctl did not write: every field differs, so it is rewritten.
    return new ScheduleDefinition(Map.of()).withPaused(paused);
  }

  static String ownerOf(ScheduleDescription description) {
    return memo(description.getMemo(RUNBOOK_MEMO, String.class));
  }

  private static String memo(Object value) {
    return value instanceof String text ? text : null;
  }
}
