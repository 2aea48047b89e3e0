package io.drctl.workflow;

import io.temporal.api.common.v1.Payload;
import io.temporal.common.context.ContextPropagator;
import io.temporal.common.converter.DefaultDataConverter;
import java.util.Map;
import org.slf4j.MDC;

/**
 * Carries the runbook step an activity runs for, from the incident to the worker that runs it, in
 * a header of the activity task. The worker puts it in the logging context as {@value #MDC_KEY},
 * beside the SDK's {@code WorkflowId}, so that every log line of a step names its incident and
 * step. The step id is not a secret; the header is not encoded by the payload codec.
 */
public final class StepContext implements ContextPropagator {
  /** The logging context key of the step id. */
  public static final String MDC_KEY = "drctl.step";
  private static final String HEADER = "drctl-step";

  private final String step;

  private StepContext(String step) {
    this.step = step;
  }

  /** What the incident sets on the activity of {@code stepId}. */
  public static StepContext of(String stepId) {
    return new StepContext(stepId);
  }

  /** What a worker registers to receive it: takes the step from the header into the logging context. */
  public static StepContext receiving() {
    return new StepContext(null);
  }

  @Override
  public String getName() {
    return HEADER;
  }

  @Override
  public Map<String, Payload> serializeContext(Object context) {
    if (!(context instanceof String id) || id.isEmpty()) {
      return Map.of();
    }
    return Map.of(HEADER, DefaultDataConverter.STANDARD_INSTANCE.toPayload(id).orElseThrow());
  }

  @Override
  public Object deserializeContext(Map<String, Payload> header) {
    Payload payload = header.get(HEADER);
    return payload == null ? null : DefaultDataConverter.STANDARD_INSTANCE.fromPayload(payload, String.class, String.class);
  }

  @Override
  public Object getCurrentContext() {
    return step != null ? step : MDC.get(MDC_KEY);
  }

  @Override
  public void setCurrentContext(Object context) {
    if (context instanceof String id) {
      MDC.put(MDC_KEY, id);
    } else {
      MDC.remove(MDC_KEY);
    }
  }
}
