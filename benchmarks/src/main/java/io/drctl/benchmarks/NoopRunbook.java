package io.drctl.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.drctl.catalog.ActionCatalog;
import io.drctl.catalog.ActionDefinition;
import io.drctl.catalog.ActionKind;
import io.drctl.catalog.StandardActionPacks;
import io.drctl.compiler.CompileResult;
import io.drctl.compiler.RunbookCompiler;
import io.drctl.plan.Durations;
import io.drctl.plan.Plan;
import io.drctl.plan.PlanStep;
import io.drctl.plan.RetryPolicy;

/**
 * A runbook of one incident whose steps each call {@code bench.noop} in sequence, compiled with the
 * standard catalog plus a {@code bench} pack. The hand-written baseline mirrors these steps; {@link
 * #compile} checks that the plan asks for the activity options the baseline uses.
 */
final class NoopRunbook {
  /** The per-attempt timeout of {@code bench.noop}, the action's default. */
  static final String STEP_TIMEOUT = "30s";

  private static final ObjectMapper JSON = new ObjectMapper();

  private NoopRunbook() {}

  static String type(int steps) {
    return "bench_noop_" + steps;
  }

  /** Step ids: s1, s2, ... as {@link HandWrittenWorkflowImpl} names its activities' summaries. */
  static String stepId(int index) {
    return "s" + index;
  }

  /** The standard catalog plus the {@code bench} pack. */
  static ActionCatalog catalog() {
    ActionCatalog.Builder builder = ActionCatalog.builder();
    StandardActionPacks.all().forEach(builder::register);
    builder.register(
        "bench",
        new ActionDefinition(
            NoopActivities.NOOP,
            ActionKind.ACTIVITY,
            "No-op",
            "Returns {} at once; measures the engine, not the action.",
            json(
                "{\"type\": \"object\", \"additionalProperties\": false,"
                    + " \"properties\": {\"step\": {\"type\": \"string\"}, \"after\": {\"type\": \"string\"}}}"),
            json("{\"type\": \"object\", \"properties\": {}}"),
            false,
            true,
            false,
            false,
            STEP_TIMEOUT,
            null));
    return builder.build();
  }

  /**
   * The runbook text: one incident of {@code steps} sequential no-op steps. With {@code
   * expressions}, each step after the first also passes {@code after: ${{ steps.PREVIOUS.outcome
   * }}}, one CEL template per step as real runbooks have.
   */
  static String text(int steps, boolean expressions) {
    StringBuilder out =
        new StringBuilder()
            .append(
                "{\n  \"version\": \"1.0.0\",\n  \"name\": \"interpreter benchmark\",\n  \"incidents\": [{\n")
            .append("    \"type\": \"")
            .append(type(steps))
            .append("\", \"title\": \"")
            .append(steps)
            .append(
                " no-op steps\", \"severity\": \"low\",\n    \"objectives\": {\"rto\": \"1h\"},\n    \"steps\": [\n");
    for (int i = 1; i <= steps; i++) {
      out.append("      {\"id\": \"")
          .append(stepId(i))
          .append("\", \"action\": \"")
          .append(NoopActivities.NOOP)
          .append("\", \"with\": {\"step\": \"")
          .append(stepId(i))
          .append('"');
      if (expressions && i > 1) {
        out.append(", \"after\": \"${{ steps.").append(stepId(i - 1)).append(".outcome }}\"");
      }
      out.append("}}").append(i < steps ? ",\n" : "\n");
    }
    return out.append("    ]\n  }]\n}\n").toString();
  }

  /**
   * Compiles the runbook and checks each step matches what {@link HandWrittenWorkflowImpl} does.
   */
  static Plan compile(int steps, boolean expressions) {
    CompileResult result =
        new RunbookCompiler(catalog())
            .compile(new RunbookCompiler.Source("bench.json", text(steps, expressions)));
    if (!result.ok()) {
      throw new IllegalStateException("the benchmark runbook is invalid: " + result.errors());
    }
    Plan plan = result.runbook().plan(type(steps)).orElseThrow();
    for (int i = 0; i < steps; i++) {
      PlanStep step = plan.steps().get(i);
      RetryPolicy retry = step.retry();
      boolean same =
          step.id().equals(stepId(i + 1))
              && step.title().equals(step.id())
              && step.action().equals(NoopActivities.NOOP)
              && step.kind() == ActionKind.ACTIVITY
              && Durations.parse(step.timeout()).equals(HandWrittenWorkflowImpl.TIMEOUT)
              && step.heartbeat() == null
              && step.needs().equals(i == 0 ? java.util.List.of() : java.util.List.of(stepId(i)))
              && step.condition() == null
              && step.onFailure().isEmpty()
              && step.with().path("step").asText().equals(step.id())
              && step.with().has("after") == (expressions && i > 0)
              && retry.maxAttempts() == HandWrittenWorkflowImpl.RETRY.getMaximumAttempts()
              && Durations.parse(retry.initialInterval())
                  .equals(HandWrittenWorkflowImpl.RETRY.getInitialInterval())
              && retry.backoffCoefficient() == HandWrittenWorkflowImpl.RETRY.getBackoffCoefficient()
              && Durations.parse(retry.maxInterval())
                  .equals(HandWrittenWorkflowImpl.RETRY.getMaximumInterval())
              && retry.nonRetryable().isEmpty();
      if (!same) {
        throw new IllegalStateException(
            "step " + step.id() + " no longer matches the hand-written baseline: " + step);
      }
    }
    return plan;
  }

  /** Whether the plan's steps pass on the previous step's outcome (the expression variant). */
  static boolean passesOutcome(Plan plan) {
    return plan.steps().size() > 1 && plan.steps().get(1).with().has("after");
  }

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
