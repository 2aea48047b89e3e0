package io.drctl.worker.temporal;

import io.drctl.worker.metrics.IncidentMetrics;
import io.drctl.workflow.StepContext;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.activity.ActivityInfo;
import io.temporal.client.ActivityCompletionException;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptor;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import io.temporal.failure.ApplicationFailure;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One log line when a step's activity attempt starts and one when it ends, on the worker that runs
 * it. The logging context holds the SDK's {@code WorkflowId} (the incident) and {@value
 * StepContext#MDC_KEY} (the step), so these lines, and every other line the activity logs, name
 * both. Failure messages are the activities' own, which never hold a secret. With metrics, each
 * attempt of a step is also counted ({@link IncidentMetrics#stepAttempt}), outside the workflow.
 */
public final class StepLog extends WorkerInterceptorBase {
  private static final Logger log = LoggerFactory.getLogger(StepLog.class);

  private final IncidentMetrics metrics;

  /** Logs only. */
  public StepLog() {
    this(null);
  }

  /** Logs, and counts step attempts in {@code metrics} (null: none). */
  public StepLog(IncidentMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public ActivityInboundCallsInterceptor interceptActivity(ActivityInboundCallsInterceptor next) {
    return new ActivityInboundCallsInterceptorBase(next) {
      private ActivityInfo info;

      @Override
      public void init(ActivityExecutionContext context) {
        info = context.getInfo();
        super.init(context);
      }

      @Override
      public ActivityOutput execute(ActivityInput input) {
        String step = MDC.get(StepContext.MDC_KEY);
        String what = (step == null ? "" : "step " + step + ": ") + info.getActivityType();
        long started = System.nanoTime();
        log.info("{} attempt {} started", what, info.getAttempt());
        String outcome = "failed";
        try {
          ActivityOutput output = super.execute(input);
          log.info("{} attempt {} succeeded in {} s", what, info.getAttempt(), seconds(started));
          outcome = "succeeded";
          return output;
        } catch (ActivityCompletionException e) {
          log.info(
              "{} attempt {} stopped after {} s: {}",
              what,
              info.getAttempt(),
              seconds(started),
              e.getClass().getSimpleName());
          outcome = "cancelled";
          throw e;
        } catch (ApplicationFailure e) {
          log.warn(
              "{} attempt {} failed after {} s{}: {}: {}",
              what,
              info.getAttempt(),
              seconds(started),
              e.isNonRetryable() ? " (not retryable)" : "",
              e.getType(),
              e.getOriginalMessage());
          throw e;
        } catch (RuntimeException | Error e) {
          log.warn(
              "{} attempt {} failed after {} s: {}",
              what,
              info.getAttempt(),
              seconds(started),
              e.toString());
          throw e;
        } finally {
          if (metrics != null && step != null) {
            metrics.stepAttempt(info.getWorkflowType(), step, info.getActivityType(), outcome);
          }
        }
      }
    };
  }

  private static String seconds(long startedNanos) {
    return String.format(Locale.ROOT, "%.1f", (System.nanoTime() - startedNanos) / 1e9);
  }
}
