package io.drctl.activities.notify;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The request bodies of the notify formats. Pure.
 *
 * <ul>
 *   <li>slack: an incoming-webhook message, {@code {text, blocks}}, text escaped for mrkdwn;
 *   <li>json: a flat object for generic webhooks;
 *   <li>pagerduty: an Events API v2 {@code trigger} event whose {@code dedup_key} is the dedup key.
 * </ul>
 */
final class NotifyPayloads {
  static final String SOURCE = "drctl";
  private static final int SLACK_HEADER_CHARS = 150;
  private static final int SLACK_SECTION_CHARS = 3000;
  private static final int PAGERDUTY_SUMMARY_CHARS = 1024;
  static final int PAGERDUTY_DEDUP_KEY_CHARS = 255;

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private NotifyPayloads() {}

  static ObjectNode slack(
      String severity, String title, String message, String incident, String dedupKey) {
    ObjectNode body = NODES.objectNode();
    body.put("text", "[" + severity + "] " + escape(title) + ": " + escape(message));
    var blocks = body.putArray("blocks");
    ObjectNode header = blocks.addObject().put("type", "header");
    header.putObject("text").put("type", "plain_text").put("text", cut(title, SLACK_HEADER_CHARS));
    ObjectNode section = blocks.addObject().put("type", "section");
    section
        .putObject("text")
        .put("type", "mrkdwn")
        .put("text", cut(escape(message), SLACK_SECTION_CHARS));
    ObjectNode context = blocks.addObject().put("type", "context");
    context
        .putArray("elements")
        .addObject()
        .put("type", "mrkdwn")
        .put(
            "text",
            cut(
                "severity *"
                    + severity
                    + "* | incident `"
                    + escape(incident)
                    + "` | dedup key `"
                    + escape(dedupKey)
                    + "`",
                SLACK_SECTION_CHARS));
    return body;
  }

  static ObjectNode jsonMessage(
      String severity, String title, String message, String incident, String dedupKey) {
    return NODES
        .objectNode()
        .put("severity", severity)
        .put("title", title)
        .put("message", message)
        .put("incident", incident)
        .put("dedupKey", dedupKey);
  }

  static ObjectNode jsonPage(
      String incident, int level, String severity, String message, String dedupKey) {
    return NODES
        .objectNode()
        .put("incident", incident)
        .put("level", level)
        .put("severity", severity)
        .put("message", message)
        .put("dedupKey", dedupKey);
  }

  /**
   * An Events API v2 trigger. PagerDuty knows the four severities of {@code notify.send} and the
   * three of {@code notify.escalate} as they are.
   *
   * @param details {@code payload.custom_details}
   */
  static ObjectNode pagerDuty(
      String routingKey, String dedupKey, String summary, String severity, ObjectNode details) {
    ObjectNode event = NODES.objectNode();
    event.put("routing_key", routingKey);
    event.put("event_action", "trigger");
    event.put("dedup_key", dedupKey);
    ObjectNode payload = event.putObject("payload");
    payload.put("summary", cut(summary, PAGERDUTY_SUMMARY_CHARS));
    payload.put("severity", severity);
    payload.put("source", SOURCE);
    payload.set("custom_details", details);
    event.put("client", SOURCE);
    return event;
  }

  static ObjectNode details() {
    return NODES.objectNode();
  }

  /** Slack's mrkdwn needs these three escaped, and only these. */
  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  private static String cut(String text, int chars) {
    return text.length() <= chars ? text : text.substring(0, chars - 1) + "…";
  }
}
