package io.drctl.activities.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import io.temporal.failure.ApplicationFailure;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;

class EngineFailuresTest {

  private static ApplicationFailure of(RuntimeException error, String notFoundType) {
    return (ApplicationFailure)
        EngineFailures.of(error, "unix:///run/docker.sock", "doing it", notFoundType);
  }

  @Test
  void notFoundIsTypedByWhatTheEngineSaysIsMissing() {
    assertThat(
            of(new NotFoundException("Status 404: {\"message\":\"No such container: db\"}\n"), "X")
                .getType())
        .isEqualTo(DockerFailures.NO_SUCH_CONTAINER);
    assertThat(
            of(new NotFoundException("{\"message\":\"get pgdata: no such volume\"}"), "X")
                .getType())
        .isEqualTo(DockerFailures.NO_SUCH_VOLUME);
    assertThat(of(new NotFoundException("{\"message\":\"No such image: pg:16\"}"), "X").getType())
        .isEqualTo(DockerFailures.NO_SUCH_IMAGE);
    assertThat(
            of(
                    new NotFoundException(
                        "{\"message\":\"Could not find the file /x in container db\"}"),
                    "X")
                .getType())
        .isEqualTo(DockerFailures.NO_SUCH_PATH);
    assertThat(of(new NotFoundException("{\"message\":\"page not found\"}"), "Fallback").getType())
        .isEqualTo("Fallback");
  }

  @Test
  void messagesCarryTheEnginesOwnWordsAfterWhatWasBeingDone() {
    ApplicationFailure failure =
        of(new NotFoundException("Status 404: {\"message\":\"No such container: db\"}\n"), "X");

    assertThat(failure.getOriginalMessage()).isEqualTo("doing it: No such container: db");
    assertThat(failure.isNonRetryable()).isTrue();
  }

  @Test
  void conflictsAreTypedByKind() {
    ApplicationFailure inUse =
        of(new ConflictException("{\"message\":\"remove pgdata: volume is in use - [abc]\"}"), "X");
    ApplicationFailure notRunning =
        of(new ConflictException("{\"message\":\"Container abc is not running\"}"), "X");
    ApplicationFailure other =
        of(new ConflictException("{\"message\":\"removal already in progress\"}"), "X");

    assertThat(inUse.getType()).isEqualTo(DockerFailures.VOLUME_IN_USE);
    assertThat(inUse.isNonRetryable()).isTrue();
    assertThat(notRunning.getType()).isEqualTo(DockerFailures.CONTAINER_NOT_RUNNING);
    assertThat(notRunning.isNonRetryable()).isFalse();
    assertThat(other.getType()).isEqualTo(DockerFailures.ENGINE_CONFLICT);
    assertThat(other.isNonRetryable()).isFalse();
  }

  @Test
  void serverErrorsAreRetryableAndRefusalsAreNot() {
    assertThat(
            EngineFailures.ofStatus(500, "{\"message\":\"oops\"}", "doing it", "X")
                .isNonRetryable())
        .isFalse();
    assertThat(
            EngineFailures.ofStatus(400, "{\"message\":\"invalid mount\"}", "doing it", "X")
                .getType())
        .isEqualTo(DockerFailures.ENGINE_REJECTED);
  }

  @Test
  void anIoErrorAnywhereInTheCauseChainMeansTheEngineIsUnavailable() {
    ApplicationFailure failure =
        of(new RuntimeException(new ConnectException("Connection refused")), "X");

    assertThat(failure.getType()).isEqualTo(DockerFailures.ENGINE_UNAVAILABLE);
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(failure.getOriginalMessage())
        .isEqualTo(
            "the docker engine unix:///run/docker.sock did not answer while doing it: ConnectException Connection refused");
  }

  @Test
  void anythingElseIsLeftToTheGeneralClassification() {
    IllegalStateException bug = new IllegalStateException("bug");

    assertThat(EngineFailures.of(bug, "h", "doing it", "X")).isSameAs(bug);
  }
}
