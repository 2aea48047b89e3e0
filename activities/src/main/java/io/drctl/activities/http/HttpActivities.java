package io.drctl.activities.http;

import io.drctl.activities.ActionFailures;
import io.drctl.activities.targets.StepTargets;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * Health checks and API or webhook calls against {@code http} targets: the {@code http} actions of
 * the catalog, activity types {@code http.<verb>}.
 *
 * <p>Each method spells out its full activity type: Temporal ignores {@code namePrefix} for a
 * method with an explicit {@code @ActivityMethod(name)}.
 *
 * <p><b>Targets.</b> The input's {@code target} names an http target that the input's {@value
 * StepTargets#MEMBER} carries. The path is appended to the target's url and may not leave it. The
 * request carries the target's headers, then the step's over them (names compare without case);
 * values {@code env:NAME} and {@code file:/path} are secret references, resolved here on every
 * attempt. Their values are masked as {@code ****} in whatever the activity returns, and no header
 * value ever appears in a failure message.
 *
 * <p><b>Requests.</b> One request per attempt, redirects not followed, the step's {@code timeout}
 * bounding the whole exchange including the body. A cancelled activity aborts its request (the wait
 * heartbeats to learn of it). The query of a URL is left out of messages.
 *
 * <p>Both methods fail, non-retryably, with {@value StepTargets#UNKNOWN_TARGET} when the target is
 * not in {@value StepTargets#MEMBER}, {@link ActionFailures#INVALID_INPUT} for malformed input or a
 * target that is not http, and {@link ActionFailures#SECRET_UNAVAILABLE} for a reference this
 * worker cannot resolve; whatever {@code failOnProblem} says.
 */
@ActivityInterface(namePrefix = "http.")
public interface HttpActivities {

  /**
   * Sends one GET, HEAD or OPTIONS and checks, all of them each time: the status equals {@code
   * expectedStatus}; the time to the full response is at most {@code maxLatency}; with {@code
   * jsonPath}, the JSON body has a value there, equal to {@code expected} when that is given
   * (numbers compare by value); with {@code bodyContains}, the body contains that text. The body is
   * looked at up to the worker's {@link HttpOptions#maxCheckBodyBytes()}. No response within {@code
   * timeout}, or none at all, is a check that does not hold, with status 0.
   *
   * <p>Safe to repeat: called once per attempt, and again after a crash.
   *
   * @return the findings; with {@code failOnProblem=false} also when a check did not hold ({@code
   *     ok=false}, {@code problem} says which)
   * @throws io.temporal.failure.ApplicationFailure {@link HttpFailures#CHECK_FAILED} (retryable;
   *     the message names the problem, details hold the {@link HttpCheckResult}) when a check did
   *     not hold and {@code failOnProblem} is true, or the non-retryable input failures above
   */
  @ActivityMethod(name = "http.check")
  HttpCheckResult check(HttpCheckInput input);

  /**
   * Sends one request with {@code body} (as is: the workflow has evaluated its expressions) and
   * {@code Content-Type: contentType} when there is a body, and {@code Idempotency-Key:
   * idempotencyKey}, by default {@code <workflow id>/<activity id>}: the incident and the step's
   * activity, the same on every attempt and after a crash, so a server that honours the header
   * applies the request once. Without that, a retry may repeat the request's effect.
   *
   * @return status, latency and up to {@code maxResponseBytes} of the body, when the status is
   *     {@code expectedStatus}, or any 2xx without it
   * @throws io.temporal.failure.ApplicationFailure {@link HttpFailures#REQUEST_FAILED} (retryable)
   *     for no response (timeout, refused, unreachable, TLS) and for 5xx, 408 and 429; {@link
   *     HttpFailures#REQUEST_REJECTED} (non-retryable) for any other status. With a response, the
   *     message has the start of the masked body and details hold the {@link HttpRequestResult}. Or
   *     the non-retryable input failures above.
   */
  @ActivityMethod(name = "http.request")
  HttpRequestResult request(HttpRequestInput input);
}
