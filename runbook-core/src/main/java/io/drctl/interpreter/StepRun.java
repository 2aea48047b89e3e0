package io.drctl.interpreter;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** The run state of one step. Mutated only by the {@link Interpreter}. */
public final class StepRun {
  final String id;
  StepStatus status = StepStatus.PENDING;

  /** How many times the step was started (operator retries start it again). */
  int attempts;

  long startedMillis;
  long endedMillis;
  String error;
  String errorType;
  JsonNode output;
  String summary;

  /** While RECOVERING: the index in onFailure of the fallback that runs. */
  int fallbackIndex = -1;

  /** Whether the fallbacks already ran and failed since the last operator retry. */
  boolean fallbacksExhausted;

  /** Identities that approved, while WAITING_APPROVAL. */
  final List<String> approvedBy = new ArrayList<>();

  StepRun(String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }

  public StepStatus status() {
    return status;
  }

  public int attempts() {
    return attempts;
  }

  public long startedMillis() {
    return startedMillis;
  }

  public long endedMillis() {
    return endedMillis;
  }

  public String error() {
    return error;
  }

  public String errorType() {
    return errorType;
  }

  public JsonNode output() {
    return output;
  }

  public String summary() {
    return summary;
  }

  void move(StepLifecycle.Transition transition) {
    status = StepLifecycle.next(id, status, transition);
  }
}
