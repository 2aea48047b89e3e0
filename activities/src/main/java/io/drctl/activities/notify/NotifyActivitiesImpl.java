package io.drctl.activities.notify;

import io.drctl.activities.ActionFailures;
import io.drctl.activities.http.HttpCaller;
import io.drctl.activities.http.HttpOptions;
import io.drctl.activities.secrets.SecretResolver;
import io.drctl.activities.targets.HttpTarget;
import io.drctl.activities.targets.StepTargets;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityInfo;
import java.util.List;
import java.util.Objects;

/** Runs {@code notify.send} and {@code notify.escalate} steps. Thread-safe. */
final class NotifyActivitiesImpl implements NotifyBackend {
  static final List<String> SEND_FORMATS = List.of("slack", "json", "pagerduty");
  static final List<String> SEND_SEVERITIES = List.of("info", "warning", "error", "critical");
  static final List<String> EVENT_ACTIONS = List.of("trigger", "acknowledge", "resolve");
  static final List<String> ESCALATE_FORMATS = List.of("pagerduty", "json");
  static final List<String> ESCALATE_SEVERITIES = List.of("warning", "error", "critical");

  private final WebhookDelivery delivery;
  private final NotifyOptions options;

  NotifyActivitiesImpl(SecretResolver secrets) {
    this(secrets, HttpOptions.defaults(), NotifyOptions.defaults());
  }

  NotifyActivitiesImpl(SecretResolver secrets, NotifyOptions options) {
    this(secrets, HttpOptions.defaults(), options);
  }

  NotifyActivitiesImpl(SecretResolver secrets, HttpOptions httpOptions, NotifyOptions options) {
    this.delivery =
        new WebhookDelivery(
            Objects.requireNonNull(secrets, "secrets"),
            new HttpCaller(httpOptions),
            Objects.requireNonNull(options, "options"));
    this.options = options;
  }

  @Override
  public NotifySendResult send(NotifySendInput input) {
    try {
      return runSend(input);
    } catch (RuntimeException e) {
      throw ActionFailures.classify(e);
    }
  }

  @Override
  public NotifyEscalateResult escalate(NotifyEscalateInput input) {
    try {
      return runEscalate(input);
    } catch (RuntimeException e) {
      throw ActionFailures.classify(e);
    }
  }

  private NotifySendResult runSend(NotifySendInput input) {
    if (input == null) {
      throw ActionFailures.invalidInput("notify.send needs an input with a channel and a message");
    }
    String format = oneOf("format", input.format(), SEND_FORMATS);
    String severity = oneOf("severity", input.severity(), SEND_SEVERITIES);
    String eventAction = oneOf("eventAction", input.eventAction(), EVENT_ACTIONS);
    String message = required("message", input.message());
    ActivityInfo info = Activity.getExecutionContext().getInfo();
    String incident = info.getWorkflowId();
    String link = options.incidentLink(info.getNamespace(), incident);
    String event = input.event();
    String title = input.title() == null ? defaultTitle(info) : required("title", input.title());
    String dedupKey = dedupKey(input.dedupKey(), incident + "/" + info.getActivityId(), format);
    NotifyPayloads.Message text =
        new NotifyPayloads.Message(severity, title, message, incident, dedupKey, link, event);
    HttpTarget channel = StepTargets.of(input.targets()).http("channel", input.channel());

    WebhookDelivery.Delivered delivered =
        delivery.post(
            channel,
            format.equals("pagerduty"),
            dedupKey,
            routingKey ->
                switch (format) {
                  case "slack" -> NotifyPayloads.slack(text);
                  case "pagerduty" ->
                      NotifyPayloads.pagerDuty(
                          routingKey,
                          eventAction,
                          dedupKey,
                          title + ": " + message,
                          severity,
                          NotifyPayloads.details()
                              .put("incident", incident)
                              .put("title", title)
                              .put("message", message)
                              .put("event", event),
                          link);
                  default -> NotifyPayloads.jsonMessage(text);
                });
    return new NotifySendResult(true, delivered.status(), dedupKey, delivered.sentAt());
  }

  private NotifyEscalateResult runEscalate(NotifyEscalateInput input) {
    if (input == null) {
      throw ActionFailures.invalidInput(
          "notify.escalate needs an input with a target and a message");
    }
    String format = oneOf("format", input.format(), ESCALATE_FORMATS);
    String severity = oneOf("severity", input.severity(), ESCALATE_SEVERITIES);
    String message = required("message", input.message());
    int level = input.level();
    if (level < 1 || level > 3) {
      throw ActionFailures.invalidInput("level must be 1, 2 or 3, was " + level);
    }
    String incident = Activity.getExecutionContext().getInfo().getWorkflowId();
    String dedupKey = dedupKey(input.dedupKey(), incident, format);
    HttpTarget target = StepTargets.of(input.targets()).http("target", input.target());

    WebhookDelivery.Delivered delivered =
        delivery.post(
            target,
            format.equals("pagerduty"),
            dedupKey,
            routingKey ->
                format.equals("pagerduty")
                    ? NotifyPayloads.pagerDuty(
                        routingKey,
                        "trigger",
                        dedupKey,
                        message,
                        severity,
                        NotifyPayloads.details()
                            .put("incident", incident)
                            .put("level", level)
                            .put("message", message),
                        null)
                    : NotifyPayloads.jsonPage(incident, level, severity, message, dedupKey));
    NotifyEscalateResult result =
        new NotifyEscalateResult(true, delivered.status(), dedupKey, delivered.sentAt());
    if (input.failAfterPaging()) {
      throw ActionFailures.nonRetryable(
          NotifyFailures.ESCALATED,
          "paged level "
              + level
              + " ("
              + severity
              + ") through target '"
              + target.name()
              + "' with dedup key "
              + dedupKey
              + "; failAfterPaging: the step fails so that an"
              + " operator decides",
          result);
    }
    return result;
  }

  /** The incident type (the workflow type), or the incident id where there is none. */
  private static String defaultTitle(ActivityInfo info) {
    String type = info.getWorkflowType();
    return type == null || type.isBlank() ? "incident " + info.getWorkflowId() : type;
  }

  private static String dedupKey(String given, String fallback, String format) {
    String key = given == null ? fallback : required("dedupKey", given);
    if (format.equals("pagerduty") && key.length() > NotifyPayloads.PAGERDUTY_DEDUP_KEY_CHARS) {
      throw ActionFailures.invalidInput(
          "dedupKey must be at most "
              + NotifyPayloads.PAGERDUTY_DEDUP_KEY_CHARS
              + " characters for pagerduty, was "
              + key.length());
    }
    return key;
  }

  private static String oneOf(String field, String value, List<String> allowed) {
    if (!allowed.contains(value)) {
      throw ActionFailures.invalidInput(
          field + " must be one of " + String.join(", ", allowed) + ", was " + value);
    }
    return value;
  }

  private static String required(String field, String value) {
    if (value == null || value.isBlank()) {
      throw ActionFailures.invalidInput(field + " must not be empty");
    }
    return value;
  }
}
