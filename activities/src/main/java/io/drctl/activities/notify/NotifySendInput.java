package io.drctl.activities.notify;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.activities.targets.StepTargets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code with} of a {@code notify.send} step, field for field the {@code params} of {@code
 * notify.send} in the action catalog ({@code io/drctl/catalog/notify.json}), plus the reserved
 * {@value StepTargets#MEMBER} the workflow adds. Absent fields take the catalog's defaults; unknown
 * fields are ignored. Immutable.
 *
 * @param channel name of the http target to post to, looked up in {@code targets}
 * @param format payload shape: slack, json or pagerduty
 * @param severity info, warning, error or critical
 * @param title short title, or {@code null} for the incident's type
 * @param message the text, its expressions already evaluated by the workflow
 * @param dedupKey deduplication key, or {@code null} for the default (incident id and activity id)
 * @param event the incident lifecycle event the message reports (started, resolved...), or {@code
 *     null} for a runbook step's own message
 * @param eventAction pagerduty only: trigger, acknowledge or resolve the alert of {@code dedupKey}
 * @param targets the step's targets by name, as the plan holds them
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record NotifySendInput(
    @JsonProperty("channel") String channel,
    @JsonProperty("format") String format,
    @JsonProperty("severity") String severity,
    @JsonProperty("title") String title,
    @JsonProperty("message") String message,
    @JsonProperty("dedupKey") String dedupKey,
    @JsonProperty("event") String event,
    @JsonProperty("eventAction") String eventAction,
    @JsonProperty(StepTargets.MEMBER) Map<String, JsonNode> targets) {

  public static final String DEFAULT_FORMAT = "json";
  public static final String DEFAULT_SEVERITY = "info";
  public static final String DEFAULT_EVENT_ACTION = "trigger";

  public NotifySendInput {
    format = format == null ? DEFAULT_FORMAT : format;
    severity = severity == null ? DEFAULT_SEVERITY : severity;
    eventAction = eventAction == null ? DEFAULT_EVENT_ACTION : eventAction;
    targets =
        targets == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(targets));
  }

  /** A runbook step's message: no lifecycle event, a pagerduty trigger. */
  public NotifySendInput(
      String channel,
      String format,
      String severity,
      String title,
      String message,
      String dedupKey,
      Map<String, JsonNode> targets) {
    this(channel, format, severity, title, message, dedupKey, null, null, targets);
  }

  /** A message to {@code channel} in {@code format}, the rest at defaults. */
  public static NotifySendInput of(
      String channel, String format, String message, Map<String, JsonNode> targets) {
    return new NotifySendInput(channel, format, null, null, message, null, targets);
  }

  public NotifySendInput withSeverity(String newSeverity) {
    return new NotifySendInput(
        channel, format, newSeverity, title, message, dedupKey, event, eventAction, targets);
  }

  public NotifySendInput withTitle(String newTitle) {
    return new NotifySendInput(
        channel, format, severity, newTitle, message, dedupKey, event, eventAction, targets);
  }

  public NotifySendInput withDedupKey(String key) {
    return new NotifySendInput(
        channel, format, severity, title, message, key, event, eventAction, targets);
  }

  /** The same message reporting lifecycle {@code newEvent} with pagerduty {@code newAction}. */
  public NotifySendInput withEvent(String newEvent, String newAction) {
    return new NotifySendInput(
        channel, format, severity, title, message, dedupKey, newEvent, newAction, targets);
  }

  @Override
  public String toString() {
    return "NotifySendInput[channel="
        + channel
        + ", format="
        + format
        + ", severity="
        + severity
        + ", title="
        + title
        + ", message="
        + (message == null ? "none" : message.length() + " chars")
        + ", dedupKey="
        + dedupKey
        + ", event="
        + event
        + ", eventAction="
        + eventAction
        + ", "
        + StepTargets.MEMBER
        + "="
        + targets.keySet()
        + "]";
  }
}
