package io.drctl.activities.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.drctl.activities.ActionFailures;
import io.drctl.activities.secrets.SecretResolver;
import io.drctl.activities.shell.ShellActivities;
import io.drctl.activities.shell.ShellExecInput;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import io.temporal.activity.ActivityOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A worker set up like the real one: every registered backend plus the fallback. */
class NotImplementedActivityTest {
  private static final ActivityOptions OPTIONS =
      ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(30)).build();

  /**
   * Calls {@code probe.unimplemented}, a type no backend implements: every catalog action has an
   * implementation now, and one added to the catalog before its backend arrives is routed the same
   * way.
   */
  @ActivityInterface(namePrefix = "probe.")
  public interface NotImplementedProbe {
    @ActivityMethod(name = "probe.unimplemented")
    Map<String, Object> record(Map<String, Object> with);
  }

  private TestActivityEnvironment environment;

  @BeforeEach
  void startWorker() {
    environment = TestActivityEnvironment.newInstance();
    environment.registerActivitiesImplementations(
        ActivityRegistry.implementations(new SecretResolver(Map.of())).toArray());
    environment.registerActivitiesImplementations(ActivityRegistry.fallback());
  }

  @AfterEach
  void stopWorker() {
    environment.close();
  }

  @Test
  void actionWithoutImplementationFailsNonRetryablyWithActionNotImplemented() {
    NotImplementedProbe probe = environment.newActivityStub(NotImplementedProbe.class, OPTIONS);

    Throwable thrown = catchThrowable(() -> probe.record(Map.of("target", "anything")));

    assertThat(thrown).isInstanceOf(ActivityFailure.class);
    ApplicationFailure failure = (ApplicationFailure) thrown.getCause();
    assertThat(failure.getType()).isEqualTo(ActionFailures.ACTION_NOT_IMPLEMENTED);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .isEqualTo(
            "action probe.unimplemented is defined in the catalog but this worker has no"
                + " implementation for it yet");
  }

  @Test
  void implementedActionIsNotRoutedToTheFallback() {
    ShellActivities shell = environment.newActivityStub(ShellActivities.class, OPTIONS);

    assertThat(shell.exec(ShellExecInput.of("echo", "ok")).stdout()).isEqualTo("ok\n");
  }
}
