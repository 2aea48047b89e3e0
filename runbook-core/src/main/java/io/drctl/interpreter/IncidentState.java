package io.drctl.interpreter;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The run state of one incident, separate from its immutable plan. Mutated only by the {@link
 * Interpreter}; read by the workflow for queries and the report.
 */
public final class IncidentState {
  final String incidentId;
  final String startedBy;
  final long startedMillis;
  final JsonNode inputs;
  final Map<String, StepRun> steps = new LinkedHashMap<>();
  final List<Progress.Decision> decisions = new ArrayList<>();
  final List<String> notes = new ArrayList<>();
  final AlertLog alerts = new AlertLog();

  /** Escalations decided but not yet handed to the workflow: reason and step (may be null). */
  final List<String[]> pendingEscalations = new ArrayList<>();

  /** Lifecycle notifications decided but not yet handed to the workflow. */
  final List<Interpreter.Decision.Notify> pendingNotices = new ArrayList<>();

  /** Lifecycle notifications that could not be delivered: event, channel and error. */
  final List<String[]> undeliveredNotices = new ArrayList<>();

  /**
   * The runbook's notifications apply to this incident (a top-level one, on a plan that has them).
   */
  boolean lifecycle;

  /** The acknowledged event went out (or would have): somebody or something is on it. */
  boolean acknowledged;

  /**
   * {@link #startedBy} is the identity the server recorded on the start (a Web UI start), so
   * approvals compare people ({@link Identities#samePerson}) instead of exact strings.
   */
  boolean starterFromServer;

  boolean paused;
  boolean aborted;

  /** Why the incident fails, once a step failed with no way forward. */
  String failure;

  /** How it ended, once finished. */
  Outcome outcome;

  long endedMillis;

  IncidentState(
      String incidentId,
      String startedBy,
      long startedMillis,
      JsonNode inputs,
      Iterable<String> stepIds) {
    this.incidentId = incidentId;
    this.startedBy = startedBy;
    this.startedMillis = startedMillis;
    this.inputs = inputs;
    stepIds.forEach(id -> steps.put(id, new StepRun(id)));
  }

  /** Marks {@link #startedBy} as the identity the server recorded on the start event. */
  public void starterFromServer() {
    starterFromServer = true;
  }

  public StepRun step(String id) {
    return steps.get(id);
  }

  public Map<String, StepRun> steps() {
    return Collections.unmodifiableMap(steps);
  }

  /** How the incident ended, or null while it runs. */
  public Outcome outcome() {
    return outcome;
  }

  public String failure() {
    return failure;
  }

  public boolean paused() {
    return paused;
  }

  public boolean aborted() {
    return aborted;
  }

  public List<Progress.Decision> decisions() {
    return Collections.unmodifiableList(decisions);
  }

  /** Escalations and refused signals, newest last. */
  public List<String> notes() {
    return Collections.unmodifiableList(notes);
  }

  public String startedBy() {
    return startedBy;
  }

  public long startedMillis() {
    return startedMillis;
  }

  public long endedMillis() {
    return endedMillis;
  }

  public JsonNode inputs() {
    return inputs;
  }

  /**
   * The alerts the incident received through the {@code alert} signal, and the one that started it.
   */
  public AlertLog alerts() {
    return alerts;
  }

  /**
   * Lifecycle notifications that could not be delivered: event, channel and error, oldest first.
   */
  public List<String[]> undeliveredNotices() {
    return Collections.unmodifiableList(undeliveredNotices);
  }

  public String incidentId() {
    return incidentId;
  }
}
