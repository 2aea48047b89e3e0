package io.drctl.worker.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.google.protobuf.ByteString;
import io.drctl.plan.Durations;
import io.drctl.plan.Plan;
import io.drctl.workflow.IncidentWorkflows;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsResponse;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.GlobalDataConverter;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Many incidents at once, through visibility: {@code drctl report --since 30d [--type T]}. Counts
 * and outcomes come from the list (the Outcome search attribute, else Temporal's status); the RTO
 * of each ended incident is its close time less its start time, set against the objective its
 * pinned plan carried (read from the first events of one incident per type and plan).
 *
 * @param since the start of the window (RFC 3339)
 * @param type the incident type asked for, or null for all
 * @param scanned executions the list returned; those without drctl's IncidentType are not incidents
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IncidentSummary(
    String since,
    String type,
    int scanned,
    int incidents,
    Map<String, Integer> outcomes,
    List<TypeSummary> types) {

  /** At most this many executions are read. */
  static final int MAX_EXECUTIONS = 10_000;

  private static final int PLAN_EVENTS = 20;

  /**
   * The incidents of one type under one RTO objective.
   *
   * @param ended how many have ended: the RTO figures are over these
   * @param withinObjective ended ones that succeeded within the RTO objective
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record TypeSummary(
      String type,
      String rtoObjective,
      int incidents,
      Map<String, Integer> outcomes,
      int ended,
      Long rtoMinSeconds,
      Long rtoMedianSeconds,
      Long rtoP90Seconds,
      Long rtoMaxSeconds,
      Integer withinObjective) {}

  /**
   * Lists and summarises.
   *
   * @throws ReportException when the server cannot run visibility queries
   */
  public static IncidentSummary of(
      WorkflowServiceStubs stubs,
      String namespace,
      Instant since,
      String type,
      DataConverter converter) {
    String query =
        "StartTime >= '" + since + "'" + (type == null ? "" : " AND WorkflowType = '" + type + "'");
    List<WorkflowExecutionInfo> executions = list(stubs, namespace, query);
    Map<String, List<WorkflowExecutionInfo>> groups = new TreeMap<>();
    Map<String, String> objectives = new HashMap<>();
    int incidents = 0;
    Map<String, Integer> outcomes = new TreeMap<>();
    for (WorkflowExecutionInfo info : executions) {
      String incidentType = attribute(info, IncidentWorkflows.INCIDENT_TYPE.getName());
      if (incidentType == null) {
        continue;
      }
      incidents++;
      outcomes.merge(outcome(info), 1, Integer::sum);
      String planKey =
          incidentType + " " + attribute(info, IncidentWorkflows.RUNBOOK_HASH.getName());
      String rto =
          objectives.computeIfAbsent(
              planKey, key -> rtoObjective(stubs, namespace, info, converter));
      groups.computeIfAbsent(incidentType + "\n" + rto, key -> new ArrayList<>()).add(info);
    }
    List<TypeSummary> types = new ArrayList<>();
    groups.forEach(
        (key, members) ->
            types.add(
                summarise(
                    key.substring(0, key.indexOf('\n')),
                    key.substring(key.indexOf('\n') + 1),
                    members)));
    return new IncidentSummary(
        since.toString(), type, executions.size(), incidents, outcomes, types);
  }

  private static List<WorkflowExecutionInfo> list(
      WorkflowServiceStubs stubs, String namespace, String query) {
    List<WorkflowExecutionInfo> found = new ArrayList<>();
    ByteString token = ByteString.EMPTY;
    do {
      ListWorkflowExecutionsResponse page =
          stubs
              .blockingStub()
              .listWorkflowExecutions(
                  ListWorkflowExecutionsRequest.newBuilder()
                      .setNamespace(namespace)
                      .setQuery(query)
                      .setPageSize(1000)
                      .setNextPageToken(token)
                      .build());
      found.addAll(page.getExecutionsList());
      token = page.getNextPageToken();
    } while (!token.isEmpty() && found.size() < MAX_EXECUTIONS);
    return found;
  }

  private static TypeSummary summarise(
      String type, String rto, List<WorkflowExecutionInfo> members) {
    Map<String, Integer> outcomes = new TreeMap<>();
    List<Long> seconds = new ArrayList<>();
    int within = 0;
    Long objective = "?".equals(rto) ? null : Durations.parse(rto).toSeconds();
    for (WorkflowExecutionInfo info : members) {
      String outcome = outcome(info);
      outcomes.merge(outcome, 1, Integer::sum);
      if (info.hasCloseTime()) {
        long took = info.getCloseTime().getSeconds() - info.getStartTime().getSeconds();
        seconds.add(took);
        if (objective != null && "succeeded".equals(outcome) && took <= objective) {
          within++;
        }
      }
    }
    seconds.sort(Long::compare);
    return new TypeSummary(
        type,
        rto,
        members.size(),
        outcomes,
        seconds.size(),
        rank(seconds, 0),
        rank(seconds, 50),
        rank(seconds, 90),
        rank(seconds, 100),
        objective == null ? null : within);
  }

  /** The nearest-rank percentile, or null of nothing. */
  private static Long rank(List<Long> sorted, int percentile) {
    if (sorted.isEmpty()) {
      return null;
    }
    int index = Math.max(0, (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1);
    return sorted.get(Math.min(index, sorted.size() - 1));
  }

  /**
   * succeeded, failed or aborted as the incident recorded it; else Temporal's status (running,
   * terminated...).
   */
  private static String outcome(WorkflowExecutionInfo info) {
    String outcome = attribute(info, IncidentWorkflows.OUTCOME.getName());
    if (outcome != null && List.of("succeeded", "failed", "aborted").contains(outcome)) {
      return outcome;
    }
    WorkflowExecutionStatus status = info.getStatus();
    return status
        .name()
        .replace("WORKFLOW_EXECUTION_STATUS_", "")
        .toLowerCase(java.util.Locale.ROOT)
        .replace('_', '-');
  }

  /** The RTO objective of the incident's pinned plan, or "?" when its first events hold none. */
  private static String rtoObjective(
      WorkflowServiceStubs stubs,
      String namespace,
      WorkflowExecutionInfo info,
      DataConverter converter) {
    Plan plan =
        HistoryReport.pinnedPlan(
            IncidentHistory.fetch(
                stubs,
                namespace,
                info.getExecution().getWorkflowId(),
                info.getExecution().getRunId(),
                PLAN_EVENTS),
            converter);
    return plan == null ? "?" : plan.objectives().rto();
  }

  private static String attribute(WorkflowExecutionInfo info, String name) {
    Payload payload = info.getSearchAttributes().getIndexedFieldsMap().get(name);
    if (payload == null) {
      return null;
    }
    String value = GlobalDataConverter.get().fromPayload(payload, String.class, String.class);
    return value == null || value.isEmpty() ? null : value;
  }

  /** The summary as markdown: the totals, then one row per type and objective. */
  public String markdown() {
    StringBuilder out = new StringBuilder();
    out.append("# Incidents since ")
        .append(since)
        .append(type == null ? "" : " of type " + type)
        .append("\n\n");
    out.append(incidents).append(" incident").append(incidents == 1 ? "" : "s");
    outcomes.forEach(
        (outcome, count) -> out.append(", ").append(count).append(' ').append(outcome));
    out.append("\n");
    if (types.isEmpty()) {
      return out.toString();
    }
    out.append(
            "\n| type | RTO objective | incidents | outcomes | ended | RTO min | median | p90 | max | within objective |\n")
        .append("|---|---|---|---|---|---|---|---|---|---|\n");
    for (TypeSummary t : types) {
      StringBuilder outcomesText = new StringBuilder();
      t.outcomes()
          .forEach(
              (outcome, count) ->
                  outcomesText
                      .append(outcomesText.isEmpty() ? "" : ", ")
                      .append(count)
                      .append(' ')
                      .append(outcome));
      out.append("| ")
          .append(t.type())
          .append(" | ")
          .append(t.rtoObjective())
          .append(" | ")
          .append(t.incidents())
          .append(" | ")
          .append(outcomesText)
          .append(" | ")
          .append(t.ended())
          .append(" | ")
          .append(seconds(t.rtoMinSeconds()))
          .append(" | ")
          .append(seconds(t.rtoMedianSeconds()))
          .append(" | ")
          .append(seconds(t.rtoP90Seconds()))
          .append(" | ")
          .append(seconds(t.rtoMaxSeconds()))
          .append(" | ")
          .append(t.withinObjective() == null ? "—" : t.withinObjective() + " of " + t.ended())
          .append(" |\n");
    }
    return out.toString();
  }

  private static String seconds(Long value) {
    return value == null ? "—" : ReportText.duration(value);
  }
}
