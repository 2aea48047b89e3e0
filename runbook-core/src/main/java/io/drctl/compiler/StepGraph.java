package io.drctl.compiler;

import io.drctl.runbook.IncidentSpec;
import io.drctl.runbook.StepSpec;
import io.drctl.source.JsonPointers;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The steps of one incident as a graph: ids, scopes (top level and parallel branches), fallbacks,
 * resolved dependencies, cycles and the set of steps certainly finished before each step.
 */
final class StepGraph {
  final List<StepNode> top = new ArrayList<>();
  final Map<String, StepNode> byId = new LinkedHashMap<>();
  private final List<List<StepNode>> scopes = new ArrayList<>();
  private final Diagnostics out;
  boolean cyclic;

  private StepGraph(Diagnostics out) {
    this.out = out;
  }

  static StepGraph build(IncidentSpec incident, String incidentPointer, Diagnostics out) {
    StepGraph graph = new StepGraph(out);
    graph.collect(incident.steps(), JsonPointers.child(incidentPointer, "steps"), null, graph.top);
    for (List<StepNode> scope : graph.scopes) {
      graph.markFallbacks(scope);
    }
    for (List<StepNode> scope : graph.scopes) {
      graph.resolveNeeds(scope);
    }
    graph.cyclic = graph.findCycles();
    if (!graph.cyclic) {
      graph.all().forEach(graph::ancestors);
    }
    return graph;
  }

  private List<StepNode> nodes;

  /** Every step, top level and nested, in source order; a step's index is its position here. */
  List<StepNode> all() {
    if (nodes == null || nodes.size() != byId.size()) {
      nodes = List.copyOf(byId.values());
    }
    return nodes;
  }

  /** The steps certainly finished before {@code node}. */
  List<StepNode> ancestorsOf(StepNode node) {
    List<StepNode> result = new ArrayList<>();
    if (node.ancestors != null) {
      node.ancestors.stream().forEach(i -> result.add(all().get(i)));
    }
    return result;
  }

  private void collect(
      List<StepSpec> specs, String pointer, StepNode parent, List<StepNode> scope) {
    scopes.add(scope);
    for (int i = 0; i < specs.size(); i++) {
      StepSpec spec = specs.get(i);
      String stepPointer = JsonPointers.child(pointer, i);
      StepNode node = new StepNode(byId.size(), spec, stepPointer, parent, scope);
      StepNode previous = byId.putIfAbsent(spec.id(), node);
      if (previous != null) {
        out.error(
            "duplicate-id",
            JsonPointers.child(stepPointer, "id"),
            "step id '" + spec.id() + "' is used twice in this incident",
            "first used at line "
                + out.valuePosition(previous.pointer + "/id").line()
                + "; step ids must be unique in an incident, branches included");
        continue;
      }
      scope.add(node);
      if (spec.branches() != null) {
        for (int b = 0; b < spec.branches().size(); b++) {
          List<StepNode> branch = new ArrayList<>();
          node.branches.add(branch);
          String branchPointer = stepPointer + "/branches/" + b + "/steps";
          collect(spec.branches().get(b).steps(), branchPointer, node, branch);
        }
      }
    }
  }

  private void markFallbacks(List<StepNode> scope) {
    Map<String, StepNode> local = new HashMap<>();
    scope.forEach(n -> local.put(n.id(), n));
    for (StepNode node : scope) {
      List<String> onFailure = node.spec.onFailure();
      if (onFailure == null) {
        continue;
      }
      for (int i = 0; i < onFailure.size(); i++) {
        String id = onFailure.get(i);
        String at = node.pointer + "/onFailure/" + i;
        StepNode fallback = local.get(id);
        if (fallback == null) {
          reportUnknown(
              id,
              at,
              byId.containsKey(id)
                  ? "a fallback must be in the same list of steps as the step it backs up"
                  : null);
        } else if (fallback == node) {
          out.error(
              "cycle",
              at,
              "step '" + id + "' lists itself as its own fallback",
              "name another step, or use retry");
        } else if (fallback.fallbackOf != null) {
          out.error(
              "shared-fallback",
              at,
              "step '"
                  + id
                  + "' is already the fallback of step '"
                  + fallback.fallbackOf.id()
                  + "'",
              "each fallback step backs up one step; copy it under another id");
        } else {
          fallback.fallbackOf = node;
        }
      }
    }
    for (StepNode node : scope) {
      if (node.isFallback() && node.spec.needs() != null) {
        out.error(
            "fallback-with-needs",
            node.pointer + "/needs",
            "fallback step '" + node.id() + "' cannot have needs",
            "it runs right after step '" + node.fallbackOf.id() + "' fails; remove needs");
      }
    }
  }

  private void resolveNeeds(List<StepNode> scope) {
    Map<String, StepNode> local = new HashMap<>();
    scope.forEach(n -> local.put(n.id(), n));
    StepNode previous = null;
    for (StepNode node : scope) {
      if (node.isFallback()) {
        continue;
      }
      List<String> needs = node.spec.needs();
      if (needs == null) {
        if (previous != null) {
          node.needs.add(previous);
        }
      } else {
        for (int i = 0; i < needs.size(); i++) {
          String id = needs.get(i);
          String at = node.pointer + "/needs/" + i;
          StepNode dependency = local.get(id);
          if (dependency == null) {
            reportUnknown(
                id,
                at,
                byId.containsKey(id)
                    ? "step '"
                        + id
                        + "' is in another branch or scope; needs may only name steps of the same list"
                        + " (a step after the parallel step sees every branch)"
                    : null);
          } else if (dependency.isFallback()) {
            out.error(
                "needs-fallback",
                at,
                "step '"
                    + node.id()
                    + "' needs fallback step '"
                    + id
                    + "', which runs only when step '"
                    + dependency.fallbackOf.id()
                    + "' fails",
                "depend on '"
                    + dependency.fallbackOf.id()
                    + "' instead; it counts as recovered when its fallback succeeds");
          } else {
            node.needs.add(dependency);
          }
        }
      }
      previous = node;
    }
  }

  private void reportUnknown(String id, String at, String hint) {
    out.error(
        "unknown-step",
        at,
        "no step '" + id + "' here",
        hint != null ? hint : DidYouMean.hint(id, byId.keySet()));
  }

  /** Reports every dependency cycle once; true when there was one. */
  private boolean findCycles() {
    Set<StepNode> done = new HashSet<>();
    boolean found = false;
    for (StepNode node : all()) {
      found |= visit(node, new ArrayList<>(), new HashSet<>(), done);
    }
    return found;
  }

  private boolean visit(
      StepNode node, List<StepNode> path, Set<StepNode> onPath, Set<StepNode> done) {
    if (done.contains(node)) {
      return false;
    }
    if (onPath.contains(node)) {
      List<StepNode> cycle = new ArrayList<>(path.subList(path.indexOf(node), path.size()));
      cycle.add(node);
      // A step without needs waits for the one listed before it: then the step itself is the place.
      out.error(
          "cycle",
          node.spec.needs() != null ? node.pointer + "/needs" : node.pointer,
          "dependency cycle: " + String.join(" -> ", cycle.stream().map(StepNode::id).toList()),
          "a step cannot wait, directly or through others, for itself; remove one of these needs");
      return true;
    }
    path.add(node);
    onPath.add(node);
    boolean found = false;
    for (StepNode dependency : node.needs) {
      found |= visit(dependency, path, onPath, done);
    }
    path.remove(path.size() - 1);
    onPath.remove(node);
    done.add(node);
    return found;
  }

  private BitSet ancestors(StepNode node) {
    if (node.ancestors != null) {
      return node.ancestors;
    }
    BitSet result = new BitSet(byId.size());
    node.ancestors = result;
    for (StepNode dependency : node.needs) {
      dependency.addSelfAndInner(result);
      result.or(ancestors(dependency));
    }
    if (node.parent != null) {
      result.or(ancestors(node.parent));
    }
    if (node.fallbackOf != null) {
      StepNode backed = node.fallbackOf;
      backed.addSelfAndInner(result);
      result.or(ancestors(backed));
      for (String earlier : backed.spec.onFailure()) {
        if (earlier.equals(node.id())) {
          break;
        }
        StepNode sibling = byId.get(earlier);
        if (sibling != null) {
          result.set(sibling.index);
        }
      }
    }
    return result;
  }
}
