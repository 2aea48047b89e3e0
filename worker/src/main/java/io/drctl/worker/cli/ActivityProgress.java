package io.drctl.worker.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.common.converter.DataConverterException;
import io.temporal.common.converter.GlobalDataConverter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A running activity's last heartbeat in one line. Details of the form {@code {"done": 412,
 * "total": 750, "unit": "MB", "message": "..."}} get a progress bar; other details are shown as
 * their message, last line, or first few fields.
 */
final class ActivityProgress {
  static final int BAR_WIDTH = 20;

  private ActivityProgress() {}

  static String describe(PendingActivityInfo activity) {
    List<String> parts = new ArrayList<>();
    details(activity)
        .map(ActivityProgress::describe)
        .filter(s -> !s.isEmpty())
        .ifPresent(parts::add);
    if (activity.getAttempt() > 1) {
      parts.add(
          "attempt "
              + activity.getAttempt()
              + (activity.getMaximumAttempts() > 0 ? "/" + activity.getMaximumAttempts() : "")
              + (activity.hasLastFailure()
                  ? ", last error: " + activity.getLastFailure().getMessage()
                  : ""));
    }
    return String.join("  ", parts);
  }

  static String describe(JsonNode details) {
    if (details == null || details.isNull() || details.isMissingNode()) {
      return "";
    }
    if (!details.isObject()) {
      return details.isTextual() ? details.asText() : details.toString();
    }
    String message = text(details, "message", "lastLine");
    if (details.path("done").isNumber()
        && details.path("total").isNumber()
        && details.path("total").asDouble() > 0) {
      double done = details.path("done").asDouble();
      double total = details.path("total").asDouble();
      String unit = details.path("unit").asText("");
      return bar(done / total)
          + " "
          + number(done)
          + "/"
          + number(total)
          + (unit.isEmpty() ? "" : " " + unit)
          + (message == null ? "" : "  " + message);
    }
    if (message != null) {
      return message;
    }
    List<String> fields = new ArrayList<>();
    Iterator<Map.Entry<String, JsonNode>> it = details.fields();
    while (it.hasNext() && fields.size() < 3) {
      Map.Entry<String, JsonNode> field = it.next();
      if (field.getValue().isValueNode()) {
        fields.add(field.getKey() + "=" + field.getValue().asText());
      }
    }
    return String.join(" ", fields);
  }

  /** {@code [#########-----------] 45%}; the fraction is clamped to 0..1. */
  static String bar(double fraction) {
    double clamped = Math.max(0, Math.min(1, fraction));
    int filled = (int) Math.round(clamped * BAR_WIDTH);
    return "["
        + "#".repeat(filled)
        + "-".repeat(BAR_WIDTH - filled)
        + "] "
        + String.format("%3d%%", Math.round(clamped * 100));
  }

  private static Optional<JsonNode> details(PendingActivityInfo activity) {
    if (!activity.hasHeartbeatDetails() || activity.getHeartbeatDetails().getPayloadsCount() == 0) {
      return Optional.empty();
    }
    try {
      return Optional.ofNullable(
          GlobalDataConverter.get()
              .fromPayloads(
                  0, Optional.of(activity.getHeartbeatDetails()), JsonNode.class, JsonNode.class));
    } catch (DataConverterException e) {
      return Optional.empty(); // binary or encrypted details: nothing to show
    }
  }

  private static String text(JsonNode node, String... names) {
    for (String name : names) {
      if (node.path(name).isTextual() && !node.path(name).asText().isBlank()) {
        return node.path(name).asText();
      }
    }
    return null;
  }

  private static String number(double value) {
    return value == Math.rint(value) ? String.valueOf((long) value) : String.format("%.1f", value);
  }
}
