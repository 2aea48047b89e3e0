package io.drctl.worker.temporal;

import io.drctl.activities.notify.NotifyOptions;
import io.drctl.activities.registry.ActivityRegistry;
import io.drctl.activities.secrets.SecretResolver;
import io.drctl.compiler.CompiledRunbook;
import io.drctl.worker.TemporalSetupException;
import io.drctl.worker.metrics.IncidentMetrics;
import io.drctl.worker.metrics.MetricsInterceptor;
import io.drctl.workflow.IncidentWorkflowImpl;
import io.drctl.workflow.IncidentWorkflows;
import io.drctl.workflow.StarterLookup;
import io.temporal.common.interceptors.WorkerInterceptor;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerFactoryOptions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One worker process's Temporal side: the dynamic incident workflow, every activity backend, the
 * fallback for actions without one, and the plan catalog of the runbook this worker compiled.
 *
 * <p>Call rules: {@link #start} once; {@link #shutdown} once, from the thread or hook that stops
 * the process. Tasks in flight get the grace period to finish, then are interrupted; Temporal
 * retries them on another worker.
 */
public final class IncidentWorker {
  private final WorkerFactory factory;
  private final String taskQueue;

  /** How much one worker runs at once. */
  public record Tuning(int maxConcurrentActivities, int maxConcurrentWorkflowTasks) {
    public Tuning {
      if (maxConcurrentActivities < 1) {
        throw TemporalSetupException.invalid(
            "--max-concurrent-activities " + maxConcurrentActivities + ": must be at least 1");
      }
      if (maxConcurrentWorkflowTasks < 2) {
        // The SDK needs two: one for sticky and one for normal polls.
        throw TemporalSetupException.invalid(
            "--max-concurrent-workflow-tasks "
                + maxConcurrentWorkflowTasks
                + ": must be at least 2");
      }
    }
  }

  private IncidentWorker(WorkerFactory factory, String taskQueue) {
    this.factory = factory;
    this.taskQueue = taskQueue;
  }

  /**
   * Registers everything and starts polling the connection's task queue; messages link to no UI.
   */
  public static IncidentWorker start(
      TemporalConnection connection, CompiledRunbook runbook, Tuning tuning) {
    return start(connection, runbook, tuning, NotifyOptions.defaults());
  }

  /**
   * Registers everything and starts polling the connection's task queue, the notify backend with
   * {@code notify} (such as the Temporal UI its messages link to).
   */
  public static IncidentWorker start(
      TemporalConnection connection, CompiledRunbook runbook, Tuning tuning, NotifyOptions notify) {
    return start(connection, runbook, tuning, notify, null);
  }

  /**
   * {@link #start(TemporalConnection, CompiledRunbook, Tuning, NotifyOptions)} that also counts
   * incidents and step attempts in {@code metrics} (null: no drctl metrics).
   */
  public static IncidentWorker start(
      TemporalConnection connection,
      CompiledRunbook runbook,
      Tuning tuning,
      NotifyOptions notify,
      IncidentMetrics metrics) {
    String taskQueue = connection.settings().taskQueue();
    WorkerInterceptor[] interceptors =
        metrics == null
            ? new WorkerInterceptor[] {new StepLog()}
            : new WorkerInterceptor[] {new StepLog(metrics), new MetricsInterceptor(metrics)};
    WorkerFactory factory =
        WorkerFactory.newInstance(
            connection.client(),
            WorkerFactoryOptions.newBuilder().setWorkerInterceptors(interceptors).build());
    Worker worker =
        factory.newWorker(
            taskQueue,
            IncidentWorkflows.workerOptions()
                .setMaxConcurrentActivityExecutionSize(tuning.maxConcurrentActivities())
                .setMaxConcurrentWorkflowTaskExecutionSize(tuning.maxConcurrentWorkflowTasks())
                .build());
    worker.registerWorkflowImplementationTypes(IncidentWorkflowImpl.class);
    worker.registerActivitiesImplementations(
        ActivityRegistry.implementations(new SecretResolver(), notify).toArray());
    worker.registerActivitiesImplementations(ActivityRegistry.fallback());
    // Also serves the local activity an incident started from the Temporal UI asks for its plan.
    worker.registerActivitiesImplementations(new PlanCatalog(runbook));
    // And the one it asks who started it, when it was started without saying.
    worker.registerActivitiesImplementations(
        new StarterLookup(connection.client().getWorkflowServiceStubs()));
    factory.start();
    return new IncidentWorker(factory, taskQueue);
  }

  public String taskQueue() {
    return taskQueue;
  }

  /**
   * Stops polling, lets tasks in flight finish for up to {@code grace}, then interrupts them.
   *
   * @return true if everything finished within the grace period
   */
  public boolean shutdown(Duration grace) {
    factory.shutdown();
    factory.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS);
    if (factory.isTerminated()) {
      return true;
    }
    factory.shutdownNow();
    factory.awaitTermination(5, TimeUnit.SECONDS);
    return false;
  }
}
