package io.drctl.activities.notify;

import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.activities.ActionFailures;
import io.drctl.activities.http.HttpCall;
import io.drctl.activities.http.HttpCaller;
import io.drctl.activities.http.RequestHeaders;
import io.drctl.activities.http.ResponseText;
import io.drctl.activities.secrets.SecretResolver;
import io.drctl.activities.targets.HttpTarget;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Posts one JSON payload to a notify target's url and classifies the answer: 2xx delivered, 401 and
 * 403 {@link NotifyFailures#AUTHENTICATION_FAILED}, anything else (no answer included) {@link
 * NotifyFailures#DELIVERY_FAILED}. The request carries the target's headers with references
 * resolved, {@code Content-Type: application/json} and {@code Idempotency-Key: <dedup key>}.
 */
final class WebhookDelivery {
  /** The target header whose value (a reference) is PagerDuty's routing key. */
  static final String ROUTING_KEY_HEADER = "X-Routing-Key";

  private static final int RESPONSE_BYTES_KEPT = 2048;

  /** The channel's answer to a delivered payload. */
  record Delivered(int status, String sentAt) {}

  private final SecretResolver secrets;
  private final HttpCaller caller;
  private final NotifyOptions options;

  WebhookDelivery(SecretResolver secrets, HttpCaller caller, NotifyOptions options) {
    this.secrets = secrets;
    this.caller = caller;
    this.options = options;
  }

  /**
   * Posts the payload {@code body} makes. With {@code routingKeyInBody} (PagerDuty), the target's
   * {@value #ROUTING_KEY_HEADER} header is resolved, handed to {@code body} and not sent as a
   * header; otherwise {@code body} gets {@code null}.
   */
  Delivered post(
      HttpTarget target,
      boolean routingKeyInBody,
      String dedupKey,
      Function<String, JsonNode> body) {
    Map<String, String> targetHeaders = new LinkedHashMap<>(target.headers());
    List<String> secretValues = new ArrayList<>();
    String routingKey = null;
    if (routingKeyInBody) {
      String reference = removeIgnoringCase(targetHeaders, ROUTING_KEY_HEADER);
      if (reference == null || reference.isBlank()) {
        throw ActionFailures.invalidInput(
            "target '"
                + target.name()
                + "' has no "
                + ROUTING_KEY_HEADER
                + " header: the"
                + " pagerduty format reads the routing key from it (as env:NAME or file:/path)");
      }
      routingKey = RequestHeaders.resolveValue(ROUTING_KEY_HEADER, reference, secrets);
      secretValues.add(routingKey);
    }
    RequestHeaders headers =
        RequestHeaders.resolve(targetHeaders, Map.of(), secrets)
            .with("Content-Type", "application/json")
            .with("Idempotency-Key", dedupKey);
    secretValues.addAll(headers.secretValues());

    HttpCall call =
        new HttpCall(
            "POST",
            target.url(),
            headers,
            body.apply(routingKey).toString(),
            options.deliveryTimeout(),
            HttpCaller.captureBytes(RESPONSE_BYTES_KEPT, secretValues),
            target.insecureSkipVerify());
    String what = call.describe() + " (target " + target.name() + ")";
    String sentAt =
        DateTimeFormatter.ISO_INSTANT.format(
            options.clock().instant().truncatedTo(ChronoUnit.MILLIS));
    HttpCaller.Exchange exchange = caller.send(call);
    if (exchange instanceof HttpCaller.Unanswered none) {
      throw ActionFailures.retryable(NotifyFailures.DELIVERY_FAILED, what + ": " + none.reason());
    }
    HttpCaller.Answered answer = (HttpCaller.Answered) exchange;
    int status = answer.status();
    if (status >= 200 && status < 300) {
      return new Delivered(status, sentAt);
    }
    ResponseText text = answer.text(RESPONSE_BYTES_KEPT, secretValues);
    if (status == 401 || status == 403) {
      throw ActionFailures.nonRetryable(
          NotifyFailures.AUTHENTICATION_FAILED,
          what
              + ": status "
              + status
              + ", the channel refused the credentials in the target's"
              + " headers; "
              + text.excerpt());
    }
    throw ActionFailures.retryable(
        NotifyFailures.DELIVERY_FAILED, what + ": status " + status + "; " + text.excerpt());
  }

  private static String removeIgnoringCase(Map<String, String> headers, String name) {
    String found = null;
    for (String key : List.copyOf(headers.keySet())) {
      if (key.equalsIgnoreCase(name)) {
        found = headers.remove(key);
      }
    }
    return found;
  }
}
