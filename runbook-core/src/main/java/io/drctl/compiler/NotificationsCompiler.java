package io.drctl.compiler;

import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.plan.Durations;
import io.drctl.plan.Notifications;
import io.drctl.runbook.TargetSpec;
import io.drctl.source.JsonPointers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks the runbook's {@code notifications} section after the schema has (formats, event names
 * with did-you-mean, severities): every channel names an http target of the runbook (with
 * did-you-mean), and the status interval is at least a minute. Gives each incident severity the
 * channels that apply to it. Pure.
 */
final class NotificationsCompiler {
  private static final Duration SHORTEST_STATUS = Duration.ofMinutes(1);

  private final Diagnostics out;
  private final Map<String, TargetSpec> targets;

  NotificationsCompiler(Diagnostics out, Map<String, TargetSpec> targets) {
    this.out = out;
    this.targets = targets;
  }

  /** The checked section with each channel's severities, or null without one or with errors. */
  Section compile(JsonNode root) {
    JsonNode section = root.path("notifications");
    if (!section.isObject() || out.hasErrorsUnder("/notifications")) {
      return null;
    }
    String statusEvery = section.path("statusEvery").asText(Notifications.DEFAULT_STATUS_EVERY);
    Duration status = DurationChecks.positive(statusEvery, "/notifications/statusEvery", out);
    if (status != null && status.compareTo(SHORTEST_STATUS) < 0) {
      out.error(
          "bad-duration",
          "/notifications/statusEvery",
          "a status update every " + statusEvery + " floods the channels",
          "at least 1m; the seed posts one every 15m");
    }
    List<SeverityChannel> channels = new ArrayList<>();
    JsonNode list = section.path("channels");
    for (int i = 0; i < list.size(); i++) {
      JsonNode channel = list.get(i);
      String at = JsonPointers.child("/notifications/channels", i);
      String target = channel.path("target").asText();
      TargetSpec spec = targets.get(target);
      if (spec == null) {
        out.error(
            "unknown-target",
            at + "/target",
            "the runbook has no target '" + target + "'",
            DidYouMean.hint(target, targets.keySet()));
      } else if (spec.hasKind() && !"http".equals(spec.kind())) {
        out.error(
            "wrong-target-kind",
            at + "/target",
            "target '"
                + target
                + "' is a "
                + spec.kind()
                + "; notifications go to an http target (a webhook)",
            "name the webhook's http target");
      }
      List<String> events = new ArrayList<>();
      channel.path("events").forEach(e -> events.add(e.asText()));
      List<String> severities = new ArrayList<>();
      channel.path("severities").forEach(s -> severities.add(s.asText()));
      channels.add(
          new SeverityChannel(
              new Notifications.Channel(target, channel.path("format").asText(), events),
              severities));
    }
    if (out.hasErrorsUnder("/notifications")) {
      return null;
    }
    return new Section(
        Durations.canonical(statusEvery),
        section.path("rtoWarningAt").asInt(Notifications.DEFAULT_RTO_WARNING_PERCENT),
        channels);
  }

  /** A channel and the incident severities it is for (empty: all). */
  record SeverityChannel(Notifications.Channel channel, List<String> severities) {}

  /** The whole section, before it is cut to each incident's severity. */
  record Section(String statusEvery, int rtoWarningPercent, List<SeverityChannel> channels) {
    /** What an incident of {@code severity} notifies, or null when no channel is for it. */
    Notifications forSeverity(String severity) {
      List<Notifications.Channel> chosen =
          channels.stream()
              .filter(c -> c.severities().isEmpty() || c.severities().contains(severity))
              .map(SeverityChannel::channel)
              .toList();
      return chosen.isEmpty() ? null : new Notifications(statusEvery, rtoWarningPercent, chosen);
    }
  }
}
