package io.drctl.compiler;

import io.drctl.catalog.ActionDefinition;
import io.drctl.runbook.StepSpec;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * A step during compilation: its spec, where it sits in the source, and what the graph analysis
 * found out about it. Mutable while one incident compiles; never leaves the compiler.
 */
final class StepNode {
  final StepSpec spec;
  final String pointer;

  /** The parallel step whose branch holds this step, or null at the top level. */
  final StepNode parent;

  /** The list this step sits in (top-level steps, or one branch); steps of a scope share it. */
  final List<StepNode> scope;

  /** Branches of a parallel step, each a scope. */
  final List<List<StepNode>> branches = new ArrayList<>();

  ActionDefinition action;

  /** The step whose onFailure lists this one, or null. */
  StepNode fallbackOf;

  /** Resolved dependencies: explicit needs, or the previous step in the scope. */
  final List<StepNode> needs = new ArrayList<>();

  /** Steps certainly finished before this one starts, as indexes into the graph's nodes. */
  BitSet ancestors;

  /** Position in {@link StepGraph#all()}. */
  final int index;

  StepNode(int index, StepSpec spec, String pointer, StepNode parent, List<StepNode> scope) {
    this.index = index;
    this.spec = spec;
    this.pointer = pointer;
    this.parent = parent;
    this.scope = scope;
  }

  String id() {
    return spec.id();
  }

  boolean isFallback() {
    return fallbackOf != null;
  }

  /** Whether {@code other} has certainly finished before this step starts. */
  boolean runsAfter(StepNode other) {
    return ancestors != null && ancestors.get(other.index);
  }

  /** Adds this step and every step nested in its branches to {@code into}. */
  void addSelfAndInner(BitSet into) {
    into.set(index);
    for (List<StepNode> branch : branches) {
      for (StepNode inner : branch) {
        inner.addSelfAndInner(into);
      }
    }
  }

  @Override
  public String toString() {
    return id();
  }
}
