package io.drctl.activities.notify;

import io.drctl.activities.ActionFailures;
import io.drctl.activities.targets.StepTargets;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * Channel messages and on-call pages through webhook {@code http} targets: the {@code notify}
 * actions of the catalog, activity types {@code notify.<verb>}.
 *
 * <p>Each method spells out its full activity type: Temporal ignores {@code namePrefix} for a
 * method with an explicit {@code @ActivityMethod(name)}.
 *
 * <p><b>Delivery.</b> One POST of a JSON payload to the target's url (no path is added) per
 * attempt, with the target's headers (secret references resolved here on every attempt; tokens such
 * as {@code Authorization: env:SLACK_TOKEN}), {@code Content-Type: application/json} and {@code
 * Idempotency-Key: <dedup key>}. For the pagerduty format, the target's {@code X-Routing-Key}
 * header is a reference to the routing key, which goes in the body and is not sent as a header. The
 * dedup key is the provider's deduplication key (PagerDuty {@code dedup_key}) and the same on every
 * attempt and after a crash, so a retry updates one alert rather than paging twice where the
 * channel deduplicates (Slack webhooks do not). Each attempt waits at most {@link
 * NotifyOptions#deliveryTimeout()}; a cancelled activity aborts it.
 *
 * <p><b>Errors.</b> {@link NotifyFailures#DELIVERY_FAILED} (retryable) for no answer or a status
 * other than 2xx, 401 and 403; {@link NotifyFailures#AUTHENTICATION_FAILED} (non-retryable) for 401
 * and 403. Messages carry the start of the channel's answer with secrets masked, never a header
 * value. Non-retryable input failures: {@value StepTargets#UNKNOWN_TARGET}, {@link
 * ActionFailures#INVALID_INPUT} (also a pagerduty target without {@code X-Routing-Key}), {@link
 * ActionFailures#SECRET_UNAVAILABLE}.
 */
@ActivityInterface(namePrefix = "notify.")
public interface NotifyActivities {

  /**
   * Posts {@code message} to the {@code channel} target as {@code format}: slack ({@code {text,
   * blocks}}), json ({@code {severity, title, message, incident, dedupKey}}) or pagerduty (an
   * Events API v2 trigger with {@code severity}). {@code title} defaults to the incident type (the
   * workflow type), {@code dedupKey} to {@code <workflow id>/<activity id>}: the incident and the
   * step's activity.
   *
   * @return the channel's status, the key and when the message was sent
   */
  @ActivityMethod(name = "notify.send")
  NotifySendResult send(NotifySendInput input);

  /**
   * Pages through the {@code target} as {@code format}: pagerduty (an Events API v2 trigger with
   * the message as summary and the incident, level and message as custom details) or json ({@code
   * {incident, level, severity, message, dedupKey}}). {@code dedupKey} defaults to the incident
   * (workflow) id, so every escalation of one incident updates one page.
   *
   * @return the paging service's status, the key and when the page was sent, when {@code
   *     failAfterPaging} is false
   * @throws io.temporal.failure.ApplicationFailure {@link NotifyFailures#ESCALATED} (non-retryable,
   *     details hold the {@link NotifyEscalateResult}) after a delivered page when {@code
   *     failAfterPaging} is true (the default), so that the step goes to its onExhausted handling;
   *     or the errors above, in which case nobody was paged by this attempt
   */
  @ActivityMethod(name = "notify.escalate")
  NotifyEscalateResult escalate(NotifyEscalateInput input);
}
