package io.drctl.interpreter;

import io.drctl.plan.Plan;
import io.drctl.plan.PlanStep;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Look-ups over a plan's step tree: by id, the enclosing parallel step, the branch path. */
final class PlanIndex {
  final Map<String, PlanStep> steps = new LinkedHashMap<>();
  final Map<String, String> parent = new LinkedHashMap<>();
  final Map<String, String> path = new LinkedHashMap<>();

  /** Fallback step id to the step whose onFailure lists it. */
  final Map<String, String> fallbackOf = new LinkedHashMap<>();

  /** Parallel step id to every step nested below it, at any depth. */
  final Map<String, List<String>> inner = new LinkedHashMap<>();

  final List<String> top = new ArrayList<>();

  PlanIndex(Plan plan) {
    add(plan.steps(), null, "");
    plan.steps().forEach(s -> top.add(s.id()));
  }

  private void add(List<PlanStep> list, String parentId, String prefix) {
    for (PlanStep step : list) {
      steps.put(step.id(), step);
      path.put(step.id(), prefix);
      if (parentId != null) {
        parent.put(step.id(), parentId);
      }
      step.onFailure().forEach(f -> fallbackOf.put(f, step.id()));
      if (step.branches() != null) {
        for (PlanStep.PlanBranch branch : step.branches()) {
          String branchPath =
              (prefix.isEmpty() ? "" : prefix + "/") + step.id() + "/" + branch.name();
          add(branch.steps(), step.id(), branchPath);
        }
      }
    }
    for (PlanStep step : list) {
      if (step.branches() != null) {
        List<String> nested = new ArrayList<>();
        collect(step, nested);
        inner.put(step.id(), Collections.unmodifiableList(nested));
      }
    }
  }

  private static void collect(PlanStep step, List<String> into) {
    for (PlanStep.PlanBranch branch : step.branches()) {
      for (PlanStep child : branch.steps()) {
        into.add(child.id());
        if (child.branches() != null) {
          collect(child, into);
        }
      }
    }
  }

  PlanStep step(String id) {
    PlanStep step = steps.get(id);
    if (step == null) {
      throw new IllegalArgumentException("no step '" + id + "' in this plan");
    }
    return step;
  }
}
