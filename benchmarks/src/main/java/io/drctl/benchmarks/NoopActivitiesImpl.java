package io.drctl.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Does nothing but count its calls, and the inputs that are not what the step should get, so the
 * harness can check every step ran exactly once with the same input from both contenders.
 */
final class NoopActivitiesImpl implements NoopActivities {
  private final AtomicLong calls = new AtomicLong();
  private final AtomicLong unexpected = new AtomicLong();

  @Override
  public JsonNode noop(JsonNode with) {
    calls.incrementAndGet();
    boolean expected =
        with.path("step").asText().matches("s[0-9]+")
            && (!with.has("after") || "succeeded".equals(with.path("after").asText()))
            && with.size() == (with.has("after") ? 2 : 1);
    if (!expected) {
      unexpected.incrementAndGet();
    }
    return JsonNodeFactory.instance.objectNode();
  }

  long calls() {
    return calls.get();
  }

  /**
   * Calls whose input was not {@code {"step": "sN"}}, plus {@code "after": "succeeded"} in the
   * expression variant.
   */
  long unexpected() {
    return unexpected.get();
  }
}
