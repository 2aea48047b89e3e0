package io.drctl.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * The benchmark's only action, {@code bench.noop}: both the interpreted incident and the
 * hand-written workflow call it, so the difference between them is the workflow code alone.
 */
@ActivityInterface
public interface NoopActivities {
  /** The activity type name, as a runbook step's {@code action} names it. */
  String NOOP = "bench.noop";

  /** Returns {@code {}} at once; called once per step attempt. */
  @ActivityMethod(name = NOOP)
  JsonNode noop(JsonNode with);
}
