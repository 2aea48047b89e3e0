package io.drctl.activities.notify;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The request bodies of the notify formats. Pure.
 *
 * <ul>
 *   <li>slack: an incoming-webhook message, {@code {text, blocks}}, text escaped for mrkdwn;
 *   <li>json: a flat object for generic webhooks;
 *   <li>pagerduty: an Events API v2 event ({@code trigger}, {@code acknowledge} or {@code resolve})
 *       whose {@code dedup_key} is the dedup key.
 * </ul>
 *
 * <p>A {@code link} (the incident's Temporal UI page) and an {@code event} (the lifecycle event
 * reported) are optional: null leaves them out, so runbook steps' messages keep their shape.
 */
final class NotifyPayloads {
  static final String SOURCE = "drctl";
  private static final int SLACK_HEADER_CHARS = 150;
  private static final int SLACK_SECTION_CHARS = 3000;
  private static final int PAGERDUTY_SUMMARY_CHARS = 1024;
  static final int PAGERDUTY_DEDUP_KEY_CHARS = 255;

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private NotifyPayloads() {}

  /** A channel message of {@code notify.send}: what the slack and json formats carry. */
  record Message(
      String severity,
      String title,
      String message,
      String incident,
      String dedupKey,
      String link,
      String event) {}

  static ObjectNode slack(Message m) {
    String severity = m.severity();
    String title = m.title();
    String message = m.message();
    String incident = m.incident();
    String dedupKey = m.dedupKey();
    String link = m.link();
    String event = m.event();
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
    if (link != null) {
      ObjectNode linkSection = blocks.addObject().put("type", "section");
      linkSection
          .putObject("text")
          .put("type", "mrkdwn")
          .put("text", "<" + link + "|Open the incident in the Temporal UI>");
    }
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
                    + "`"
                    + (event == null ? "" : " | event `" + escape(event) + "`"),
                SLACK_SECTION_CHARS));
    return body;
  }

  static ObjectNode jsonMessage(Message m) {
    ObjectNode body =
        NODES
            .objectNode()
            .put("severity", m.severity())
            .put("title", m.title())
            .put("message", m.message())
            .put("incident", m.incident())
            .put("dedupKey", m.dedupKey());
    if (m.event() != null) {
      body.put("event", m.event());
    }
    if (m.link() != null) {
      body.put("link", m.link());
    }
    return body;
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
   * An Events API v2 event. A trigger carries the payload; PagerDuty knows the four severities of
   * {@code notify.send} and the three of {@code notify.escalate} as they are. An acknowledge or a
   * resolve only names the alert by its dedup key, as the API wants.
   *
   * @param action trigger, acknowledge or resolve
   * @param details {@code payload.custom_details}; a null {@code event} member is left out
   * @param link the incident's page, sent as {@code links}, or null
   */
  static ObjectNode pagerDuty(
      String routingKey,
      String action,
      String dedupKey,
      String summary,
      String severity,
      ObjectNode details,
      String link) {
    ObjectNode event = NODES.objectNode();
    event.put("routing_key", routingKey);
    event.put("event_action", action);
    event.put("dedup_key", dedupKey);
    if (!action.equals("trigger")) {
      return event;
    }
    if (details.path("event").isNull()) {
      details.remove("event");
    }
    if (link != null) {
      event.putArray("links").addObject().put("href", link).put("text", "Temporal UI");
    }
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
