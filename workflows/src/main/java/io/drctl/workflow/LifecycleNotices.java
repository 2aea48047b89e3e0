package io.drctl.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.drctl.interpreter.Interpreter.Decision;
import io.drctl.interpreter.Outcome;
import io.drctl.plan.Notifications;
import io.drctl.plan.Plan;
import io.drctl.plan.PlanJson;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code notify.send} parameters of one lifecycle notification, one per channel that waits for
 * its event. Pure.
 *
 * <p>PagerDuty channels share one alert per incident: its dedup key is the workflow id (or, past
 * the API's 255 characters, its SHA-256), triggered at the start and by every later event,
 * acknowledged by {@code acknowledged} and resolved by {@code resolved} when the incident
 * succeeded. An incident that failed or was aborted leaves its alert open for a human to close.
 */
final class LifecycleNotices {
  private static final int PAGERDUTY_DEDUP_KEY_CHARS = 255;

  private LifecycleNotices() {}

  /** What to send through one channel. */
  record Delivery(String channel, JsonNode with) {}

  static List<Delivery> of(Plan plan, Decision.Notify notice, String incidentId, Outcome outcome) {
    List<Delivery> deliveries = new ArrayList<>();
    for (Notifications.Channel channel : plan.notifications().channels()) {
      if (!channel.events().contains(notice.event())) {
        continue;
      }
      ObjectNode with =
          JsonNodeFactory.instance
              .objectNode()
              .put("channel", channel.target())
              .put("format", channel.format())
              .put("severity", notice.severity())
              .put("title", plan.title())
              .put("message", notice.message())
              .put("event", notice.event());
      if ("pagerduty".equals(channel.format())) {
        with.put("eventAction", eventAction(notice.event(), outcome))
            .put("dedupKey", dedupKey(incidentId));
      }
      deliveries.add(new Delivery(channel.target(), with));
    }
    return deliveries;
  }

  /** The one PagerDuty dedup key of an incident. */
  static String dedupKey(String incidentId) {
    return incidentId.length() <= PAGERDUTY_DEDUP_KEY_CHARS
        ? incidentId
        : PlanJson.sha256(incidentId);
  }

  private static String eventAction(String event, Outcome outcome) {
    return switch (event) {
      case Notifications.ACKNOWLEDGED -> "acknowledge";
      case Notifications.RESOLVED -> outcome == Outcome.SUCCEEDED ? "resolve" : "trigger";
      default -> "trigger";
    };
  }
}
