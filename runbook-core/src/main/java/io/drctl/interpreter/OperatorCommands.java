package io.drctl.interpreter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.drctl.interpreter.StepLifecycle.Transition;
import io.drctl.plan.PlanStep;
import io.drctl.plan.Timestamps;
import java.util.List;

/**
 * The operator commands: approve, reject, retry, skip, pause, resume, abort. Each is checked the
 * same way for an update's validator and carried out only when asked to, and every one that takes
 * effect is recorded with who, why and when.
 */
final class OperatorCommands {
  /** How a rejected approval fails its step: the interpreter's own failure handling. */
  interface StepFailure {
    void fail(IncidentState state, String stepId, String errorType, String message, long now);
  }

  private final PlanIndex index;
  private final StepFailure failure;

  OperatorCommands(PlanIndex index, StepFailure failure) {
    this.index = index;
    this.failure = failure;
  }

  /**
   * Checks an operator command and, when {@code apply} is true, carries it out. The same check
   * serves update validators (apply false) and the handlers.
   */
  CommandResult handle(
      IncidentState state, Command name, OperatorCommand command, long now, boolean apply) {
    if (command == null || command.by() == null || command.by().isBlank()) {
      return CommandResult.refused(name + " needs the operator's identity (by)");
    }
    if (state.outcome != null) {
      return CommandResult.refused("the incident is already over (" + state.outcome + ")");
    }
    if (name.needsReason() && (command.reason() == null || command.reason().isBlank())) {
      return CommandResult.refused(name + " needs a reason, for the record");
    }
    return switch (name) {
      case APPROVE -> approve(state, command, now, apply);
      case REJECT -> reject(state, command, now, apply);
      case RETRY -> retry(state, command, now, apply);
      case SKIP -> skip(state, command, now, apply);
      case PAUSE -> pause(state, true, command, now, apply);
      case RESUME -> pause(state, false, command, now, apply);
      case ABORT -> {
        if (apply) {
          state.aborted = true;
          record(state, now, name, null, command);
        }
        yield CommandResult.accepted("aborting: running steps are cancelled");
      }
    };
  }

  private CommandResult pause(
      IncidentState state, boolean pause, OperatorCommand command, long now, boolean apply) {
    if (state.paused == pause) {
      return CommandResult.refused(
          pause ? "the incident is already paused" : "the incident is not paused");
    }
    if (apply) {
      state.paused = pause;
      record(state, now, pause ? Command.PAUSE : Command.RESUME, null, command);
    }
    return CommandResult.accepted(
        pause ? "paused: no new step starts; running steps finish" : "resumed");
  }

  private CommandResult approve(
      IncidentState state, OperatorCommand command, long now, boolean apply) {
    Target target = waiting(state, command.step(), StepStatus.WAITING_APPROVAL, "an approval");
    if (target.refusal != null) {
      return CommandResult.refused(target.refusal);
    }
    PlanStep step = index.step(target.id);
    StepRun run = state.steps.get(target.id);
    JsonNode approvers = step.with().path("approvers");
    if (approvers.isArray() && approvers.size() > 0) {
      boolean listed = false;
      for (JsonNode approver : approvers) {
        listed |= approver.asText().equals(command.by());
      }
      if (!listed) {
        return CommandResult.refused(
            command.by() + " may not approve '" + step.id() + "'; approvers: " + approvers);
      }
    }
    boolean self =
        state.starterFromServer
            ? Identities.samePerson(command.by(), state.startedBy)
            : command.by().equals(state.startedBy);
    if (!step.with().path("allowSelfApproval").asBoolean(false) && self) {
      return CommandResult.refused(
          command.by()
              + " started this incident and may not approve its own step '"
              + step.id()
              + "'");
    }
    if (run.approvedBy.contains(command.by())) {
      return CommandResult.refused(command.by() + " already approved '" + step.id() + "'");
    }
    int quorum = Math.max(1, step.with().path("quorum").asInt(1));
    if (!apply) {
      return CommandResult.accepted("approval of '" + step.id() + "' by " + command.by());
    }
    run.approvedBy.add(command.by());
    record(state, now, Command.APPROVE, step.id(), command);
    if (run.approvedBy.size() < quorum) {
      return CommandResult.accepted(
          "approved by "
              + command.by()
              + "; "
              + run.approvedBy.size()
              + " of "
              + quorum
              + " approvals");
    }
    run.move(Transition.SUCCEED);
    run.endedMillis = now;
    ObjectNode output = JsonNodeFactory.instance.objectNode().put("decision", "approved");
    run.approvedBy.forEach(output.putArray("approvers")::add);
    if (command.comment() != null) {
      output.put("comment", command.comment());
    }
    run.output = output;
    run.summary = "approved by " + String.join(", ", run.approvedBy);
    return CommandResult.accepted(
        "'" + step.id() + "' approved by " + String.join(", ", run.approvedBy));
  }

  private CommandResult reject(
      IncidentState state, OperatorCommand command, long now, boolean apply) {
    Target target = waiting(state, command.step(), StepStatus.WAITING_APPROVAL, "an approval");
    if (target.refusal != null) {
      return CommandResult.refused(target.refusal);
    }
    if (apply) {
      StepRun run = state.steps.get(target.id);
      record(state, now, Command.REJECT, target.id, command);
      ObjectNode output =
          JsonNodeFactory.instance.objectNode().put("decision", "rejected").put("by", command.by());
      if (command.comment() != null) {
        output.put("comment", command.comment());
      }
      run.output = output;
      failure.fail(
          state,
          target.id,
          "ApprovalRejected",
          "rejected by " + command.by() + ": " + command.reason(),
          now);
    }
    return CommandResult.accepted("'" + target.id + "' rejected");
  }

  private CommandResult retry(
      IncidentState state, OperatorCommand command, long now, boolean apply) {
    Target target = waiting(state, command.step(), StepStatus.WAITING_OPERATOR, "an operator");
    if (target.refusal != null) {
      return CommandResult.refused(target.refusal);
    }
    if (apply) {
      StepRun run = state.steps.get(target.id);
      record(state, now, Command.RETRY, target.id, command);
      run.move(Transition.RETRY);
      run.fallbacksExhausted = false;
      run.fallbackIndex = -1;
      run.summary = "retry requested by " + command.by();
    }
    return CommandResult.accepted("retrying '" + target.id + "'");
  }

  private CommandResult skip(
      IncidentState state, OperatorCommand command, long now, boolean apply) {
    String id = command.step();
    if (id == null) {
      Target target = waiting(state, null, StepStatus.WAITING_OPERATOR, "an operator");
      if (target.refusal != null) {
        Target approval = waiting(state, null, StepStatus.WAITING_APPROVAL, "an approval");
        if (approval.refusal != null) {
          return CommandResult.refused(
              "name the step to skip (--step); nothing waits for an operator");
        }
        target = approval;
      }
      id = target.id;
    }
    StepRun run = state.steps.get(id);
    if (run == null) {
      return CommandResult.refused("no step '" + id + "' in this incident");
    }
    if (!(run.status == StepStatus.WAITING_OPERATOR
        || run.status == StepStatus.WAITING_APPROVAL
        || run.status == StepStatus.PENDING)) {
      return CommandResult.refused(
          "step '"
              + id
              + "' is "
              + run.status.json()
              + "; only a pending or waiting step can be skipped");
    }
    if (apply) {
      record(state, now, Command.SKIP, id, command);
      run.move(Transition.SKIP);
      run.endedMillis = now;
      run.summary = "skipped by " + command.by() + ": " + command.reason();
    }
    return CommandResult.accepted("skipped '" + id + "'");
  }

  private record Target(String id, String refusal) {}

  private Target waiting(IncidentState state, String named, StepStatus status, String what) {
    if (named != null) {
      StepRun run = state.steps.get(named);
      if (run == null) {
        return new Target(null, "no step '" + named + "' in this incident");
      }
      return run.status == status
          ? new Target(named, null)
          : new Target(
              null, "step '" + named + "' is " + run.status.json() + ", not waiting for " + what);
    }
    List<String> candidates =
        state.steps.values().stream().filter(r -> r.status == status).map(r -> r.id).toList();
    if (candidates.isEmpty()) {
      return new Target(null, "no step waits for " + what);
    }
    if (candidates.size() > 1) {
      return new Target(
          null,
          "several steps wait for "
              + what
              + " ("
              + String.join(", ", candidates)
              + "); name one with --step");
    }
    return new Target(candidates.get(0), null);
  }

  private static void record(
      IncidentState state, long now, Command command, String step, OperatorCommand by) {
    state.decisions.add(
        new Progress.Decision(
            Timestamps.ofMillis(now), command.json(), step, by.by(), by.reason(), by.comment()));
  }
}
