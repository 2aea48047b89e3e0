package io.drctl.activities.targets;

import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.activities.ActionFailures;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * The targets a step's input carries. The workflow does not resolve targets into connections; it
 * adds the reserved member {@value #MEMBER} to the step's evaluated {@code with}, mapping the name
 * of every target the step's parameters name (the catalog's {@code x-target} parameters) to that
 * target's JSON from the plan, {@code kind} included:
 *
 * <pre>{@code
 * {"target": "backend-api", "path": "/health",
 *  "$targets": {"backend-api": {"kind": "http", "url": "http://10.0.0.5:8000",
 *                               "headers": {"Authorization": "env:API_TOKEN"}}}}
 * }</pre>
 *
 * <p>Secret properties stay references ({@code env:NAME}, {@code file:/path}); the activity
 * resolves them. A name the step uses but {@value #MEMBER} lacks fails with {@link
 * #UNKNOWN_TARGET}, non-retryable: a retry sends the same input. Immutable.
 */
public final class StepTargets {
  /** The reserved member of an activity input that holds the step's targets. */
  public static final String MEMBER = "$targets";

  /** A step names a target its input does not carry. Not retryable. */
  public static final String UNKNOWN_TARGET = "UnknownTarget";

  private final Map<String, JsonNode> targets;

  private StepTargets(Map<String, JsonNode> targets) {
    this.targets = targets;
  }

  /** The targets of an input's {@value #MEMBER}; {@code null} means the member was absent. */
  public static StepTargets of(Map<String, JsonNode> targets) {
    return new StepTargets(
        targets == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(targets)));
  }

  /**
   * The http target that parameter {@code param} names.
   *
   * @throws io.temporal.failure.ApplicationFailure {@link ActionFailures#INVALID_INPUT} when the
   *     parameter is empty or the target is not a well-formed http target, {@link #UNKNOWN_TARGET}
   *     when the input does not carry it (both non-retryable)
   */
  public HttpTarget http(String param, String name) {
    return HttpTarget.from(name, require(param, name));
  }

  /** The JSON of the target that parameter {@code param} names, as the plan holds it. */
  public JsonNode require(String param, String name) {
    if (name == null || name.isBlank()) {
      throw ActionFailures.invalidInput(param + " must name a target");
    }
    JsonNode target = targets.get(name);
    if (target == null || !target.isObject()) {
      throw ActionFailures.nonRetryable(
          UNKNOWN_TARGET,
          param
              + " names target '"
              + name
              + "', but the step's "
              + MEMBER
              + " does not carry it"
              + (targets.isEmpty() ? " (it is empty or absent)" : " (it has " + names() + ")"));
    }
    return target;
  }

  private String names() {
    return String.join(", ", new TreeSet<>(targets.keySet()));
  }

  /** Target names only: their properties may hold secret references. */
  @Override
  public String toString() {
    return "StepTargets" + new TreeSet<>(targets.keySet());
  }
}
