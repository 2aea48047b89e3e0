package io.drctl.activities.shell;

import static io.drctl.activities.shell.ShellTestSupport.PARENT_WITH_CHILD;
import static io.drctl.activities.shell.ShellTestSupport.allGone;
import static io.drctl.activities.shell.ShellTestSupport.awaitPids;
import static org.assertj.core.api.Assertions.assertThat;

import io.drctl.activities.secrets.SecretResolver;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.RetryOptions;
import io.temporal.common.interceptors.ActivityExecutionContextBase;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptor;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.TimeoutFailure;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server side of liveness, on Temporal's in-process test server: when the server times an
 * attempt out for missing heartbeats (a stalled worker), the next heartbeat learns it and the
 * process tree is killed, though no one cancelled anything.
 */
class ShellServerHeartbeatTimeoutTest {
  private static final String TASK_QUEUE = "shell-heartbeat-timeout";
  private static final Duration STALL = Duration.ofSeconds(3);

  /** Runs one shell.exec attempt and reports how it ended. */
  @WorkflowInterface
  public interface RunShellOnce {
    @WorkflowMethod
    String run(ShellExecInput input);
  }

  public static class RunShellOnceImpl implements RunShellOnce {
    @Override
    public String run(ShellExecInput input) {
      ShellActivities shell =
          Workflow.newActivityStub(
              ShellActivities.class,
              ActivityOptions.newBuilder()
                  .setStartToCloseTimeout(Duration.ofMinutes(1))
                  .setHeartbeatTimeout(Duration.ofSeconds(1))
                  .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                  .build());
      try {
        shell.exec(input);
        return "completed";
      } catch (ActivityFailure failure) {
        return failure.getCause() instanceof TimeoutFailure timeout
            ? timeout.getTimeoutType().name()
            : failure.getCause().toString();
      }
    }
  }

  /** Holds back every heartbeat of the first {@link #STALL} of an attempt, as a stalled worker. */
  static final class StalledHeartbeats extends WorkerInterceptorBase {
    @Override
    public ActivityInboundCallsInterceptor interceptActivity(ActivityInboundCallsInterceptor next) {
      return new ActivityInboundCallsInterceptorBase(next) {
        @Override
        public void init(ActivityExecutionContext context) {
          long resumeAt = System.nanoTime() + STALL.toNanos();
          super.init(
              new ActivityExecutionContextBase(context) {
                @Override
                public <V> void heartbeat(V details) {
                  if (System.nanoTime() - resumeAt >= 0) {
                    super.heartbeat(details);
                  }
                }
              });
        }
      };
    }
  }

  @TempDir Path directory;

  private TestWorkflowEnvironment environment;
  private final List<Long> spawned = new ArrayList<>();

  @BeforeEach
  void startServerAndWorker() {
    environment =
        TestWorkflowEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder()
                .setUseTimeskipping(false)
                .setWorkerFactoryOptions(
                    WorkerFactoryOptions.newBuilder()
                        .setWorkerInterceptors(new StalledHeartbeats())
                        .build())
                .build());
    Worker worker = environment.newWorker(TASK_QUEUE);
    worker.registerWorkflowImplementationTypes(RunShellOnceImpl.class);
    worker.registerActivitiesImplementations(
        new ShellActivitiesImpl(new SecretResolver(Map.of()), ShellTestSupport.options()));
    environment.start();
  }

  @AfterEach
  void stopServerAndWorker() {
    spawned.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    environment.close();
  }

  @Test
  void heartbeatTimeoutOnTheServerKillsTheProgramAndItsChildren() throws Exception {
    RunShellOnce workflow =
        environment
            .getWorkflowClient()
            .newWorkflowStub(
                RunShellOnce.class, WorkflowOptions.newBuilder().setTaskQueue(TASK_QUEUE).build());
    ShellExecInput input =
        new ShellExecInput(PARENT_WITH_CHILD, null, directory.toString(), null, null, null);

    CompletableFuture<String> outcome = CompletableFuture.supplyAsync(() -> workflow.run(input));
    List<Long> pids = awaitPids(directory);
    spawned.addAll(pids);

    assertThat(outcome.get(30, TimeUnit.SECONDS)).isEqualTo("TIMEOUT_TYPE_HEARTBEAT");
    assertThat(allGone(pids, STALL.plusSeconds(10)))
        .as("shell %s and its sleep %s are gone", pids.get(0), pids.get(1))
        .isTrue();
  }
}
