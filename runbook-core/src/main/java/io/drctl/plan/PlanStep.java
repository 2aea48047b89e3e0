package io.drctl.plan;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.catalog.ActionKind;
import io.drctl.runbook.OnExhausted;
import java.util.List;

/**
 * One compiled step. Every default is resolved and every dependency explicit; expressions stay as
 * text ({@code ${{ }}} in {@code with}, bare CEL in {@code condition}) and are evaluated by the
 * interpreter. Treat as immutable: do not modify {@code with}.
 *
 * @param needs ids of steps that must have finished (succeeded, recovered or skipped) first
 * @param fallback true when the step runs only as another step's {@code onFailure}
 * @param timeout activities: per attempt; approval: wait for a decision; waitUntil: deadline
 * @param retry the activity retry policy (for waitUntil: of each poll); null for other built-ins
 * @param dataLossOutput the output field measuring lost data in seconds (from the catalog's {@code
 *     x-measures}), or null; absent in plans compiled before it existed
 * @param background a notification that never stalls the recovery: the steps that need it start
 *     once it has started, and when it fails for good it ends failed and is escalated, without
 *     waiting for an operator or failing the incident; the incident still waits for it to end.
 *     Written only when true, so that plans compiled before it (false) keep their JSON and hash
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PlanStep(
    String id,
    String title,
    String action,
    ActionKind kind,
    JsonNode with,
    List<String> needs,
    String condition,
    String timeout,
    String heartbeat,
    RetryPolicy retry,
    List<String> onFailure,
    boolean fallback,
    boolean continueOnError,
    OnExhausted onExhausted,
    List<PlanBranch> branches,
    boolean destructive,
    boolean idempotent,
    String dataLossOutput,
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean background) {

  public PlanStep {
    needs = List.copyOf(needs);
    onFailure = List.copyOf(onFailure);
    branches = branches == null ? null : List.copyOf(branches);
  }

  /** One branch of a parallel step. */
  public record PlanBranch(String name, List<PlanStep> steps) {
    public PlanBranch {
      steps = List.copyOf(steps);
    }
  }
}
