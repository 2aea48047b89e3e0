package io.drctl.workflow;

import io.temporal.api.common.v1.Payload;
import io.temporal.common.context.ContextPropagator;
import io.temporal.common.converter.DataConverter;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.MDC;

/**
 * Carries the runbook step an activity runs for, from the incident to the worker that runs it, in a
 * header of the activity task. The incident names the step while it schedules the activity ({@link
 * #scheduling}); the worker puts it in the logging context as {@value #MDC_KEY}, beside the SDK's
 * {@code WorkflowId}, so that every log line of a step names its incident and step. The header is
 * written with the connection's data converter, so with a payload codec it is encrypted like every
 * other payload.
 */
public final class StepContext implements ContextPropagator {
  /** The logging context key of the step id. */
  public static final String MDC_KEY = "drctl.step";

  private static final String HEADER = "drctl-step";

  private final DataConverter converter;

  private StepContext(DataConverter converter) {
    this.converter = converter;
  }

  /**
   * The propagator a connection registers, writing and reading the header with {@code converter}.
   */
  public static StepContext with(DataConverter converter) {
    return new StepContext(converter);
  }

  /**
   * Runs {@code schedule}, which schedules the activity of {@code stepId}, with the step in the
   * workflow thread's logging context, from where the propagator puts it in the header.
   */
  public static <T> T scheduling(String stepId, Supplier<T> schedule) {
    String before = MDC.get(MDC_KEY);
    MDC.put(MDC_KEY, stepId);
    try {
      return schedule.get();
    } finally {
      if (before == null) {
        MDC.remove(MDC_KEY);
      } else {
        MDC.put(MDC_KEY, before);
      }
    }
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
    return Map.of(HEADER, converter.toPayload(id).orElseThrow());
  }

  @Override
  public Object deserializeContext(Map<String, Payload> header) {
    Payload payload = header.get(HEADER);
    return payload == null ? null : converter.fromPayload(payload, String.class, String.class);
  }

  @Override
  public Object getCurrentContext() {
    return MDC.get(MDC_KEY);
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
