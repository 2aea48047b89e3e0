package io.drctl.activities.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.drctl.activities.secrets.SecretResolver;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.function.ThrowingSupplier;

/** Shared fixtures for the http and notify activity tests. */
public final class HttpTestSupport {
  /** The value behind {@code env:API_TOKEN}; must never appear in an output or a message. */
  public static final String API_TOKEN = "Bearer s3cr3t-api-token-42";

  /** The value behind {@code env:ROUTING_KEY}. */
  public static final String ROUTING_KEY = "R0UT1NG-KEY-0123456789abcdef";

  /** One attempt per call (the workflow's retry policy is not under test), heartbeats every 1 s. */
  public static final ActivityOptions OPTIONS =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofSeconds(30))
          .setHeartbeatTimeout(Duration.ofSeconds(1))
          .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
          .build();

  private HttpTestSupport() {}

  public static SecretResolver secrets() {
    return new SecretResolver(Map.of("API_TOKEN", API_TOKEN, "ROUTING_KEY", ROUTING_KEY));
  }

  /** Connect within 2 s, keep 4 KiB of a checked body, heartbeat every 100 ms. */
  public static HttpOptions options() {
    return new HttpOptions(Duration.ofSeconds(2), 4096, Duration.ofMillis(100));
  }

  /** The application failure inside the activity failure a stub call throws. */
  public static ApplicationFailure applicationFailure(ThrowingSupplier<?> call) {
    Throwable thrown = catchThrowable(call::get);
    assertThat(thrown).isInstanceOf(ActivityFailure.class);
    assertThat(thrown.getCause()).isInstanceOf(ApplicationFailure.class);
    return (ApplicationFailure) thrown.getCause();
  }
}
