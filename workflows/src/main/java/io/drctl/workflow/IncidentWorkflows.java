package io.drctl.workflow;

import io.drctl.interpreter.Command;
import io.temporal.common.SearchAttributeKey;
import io.temporal.worker.WorkerOptions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The contract between incident workflows and their clients (CLI, receivers, the Temporal UI).
 *
 * <p>Every incident type is its own workflow type, served by one dynamic workflow. Operators steer
 * an incident with signals (what the Temporal UI sends) or updates of the same names (what the CLI
 * sends: validated, and answered with a {@link io.drctl.interpreter.CommandResult}). Each carries
 * an {@link io.drctl.interpreter.OperatorCommand}. The names are the {@link Command}s' JSON names,
 * spelled out here because annotations need constants.
 */
public final class IncidentWorkflows {
  private IncidentWorkflows() {}

  /** The task queue workers poll unless told otherwise. */
  public static final String DEFAULT_TASK_QUEUE = "drctl";

  /** Query: the incident's {@link io.drctl.interpreter.Progress}. */
  public static final String PROGRESS_QUERY = "progress";

  public static final String APPROVE = "approve";
  public static final String REJECT = "reject";
  public static final String RETRY = "retry";
  public static final String SKIP = "skip";
  public static final String PAUSE = "pause";
  public static final String RESUME = "resume";
  public static final String ABORT = "abort";

  /**
   * Signal: an {@link io.drctl.alerts.Alert} about the incident's problem, firing or resolved, sent
   * by the alert receiver. Recorded in progress and report; it changes no step.
   */
  public static final String ALERT = "alert";

  /** Every operator command; each is both a signal and an update. */
  public static final List<String> COMMANDS =
      Arrays.stream(Command.values()).map(Command::json).toList();

  public static final SearchAttributeKey<String> INCIDENT_TYPE =
      SearchAttributeKey.forKeyword("IncidentType");
  public static final SearchAttributeKey<String> SEVERITY =
      SearchAttributeKey.forKeyword("Severity");
  public static final SearchAttributeKey<String> TARGET = SearchAttributeKey.forKeyword("Target");
  public static final SearchAttributeKey<String> RUNBOOK_VERSION =
      SearchAttributeKey.forKeyword("RunbookVersion");
  public static final SearchAttributeKey<String> RUNBOOK_HASH =
      SearchAttributeKey.forKeyword("RunbookHash");
  public static final SearchAttributeKey<String> OUTCOME = SearchAttributeKey.forKeyword("Outcome");

  /** The custom search attributes, all of type Keyword; a cluster must have them registered. */
  public static final List<SearchAttributeKey<String>> SEARCH_ATTRIBUTES =
      List.of(INCIDENT_TYPE, SEVERITY, TARGET, RUNBOOK_VERSION, RUNBOOK_HASH, OUTCOME);

  /**
   * The longest a running step's heartbeat waits in the worker before it is sent. Temporal tells a
   * step that it was cancelled (an operator's abort, a parallel branch that failed) only in the
   * answer to a heartbeat the worker sends, and by default the SDK holds heartbeats back for 80% of
   * the step's heartbeat timeout: an abort reached a running restore only after up to 48 s with the
   * runbook default of 1m. With this it does within about this long, for one heartbeat call every 2
   * s per running step.
   */
  public static final Duration HEARTBEAT_SEND_INTERVAL = Duration.ofSeconds(2);

  /** The options every worker of incidents starts from: {@link #HEARTBEAT_SEND_INTERVAL}. */
  public static WorkerOptions.Builder workerOptions() {
    return WorkerOptions.newBuilder()
        .setMaxHeartbeatThrottleInterval(HEARTBEAT_SEND_INTERVAL)
        .setDefaultHeartbeatThrottleInterval(HEARTBEAT_SEND_INTERVAL);
  }
}
