package io.drctl.activities.backup;

/**
 * The ids of pre-change safety copies ({@code postgres.snapshot}, {@code redis.snapshot}): {@code
 * safety_<incident>_<label>}, where the incident is the workflow id. One id per incident and label,
 * so a repeat of the step within one incident finds the complete copy and reuses it.
 */
public final class SafetyCopies {
  private SafetyCopies() {}

  /** The id of the safety copy of incident {@code workflowId} labelled {@code label}. */
  public static String id(String workflowId, String label) {
    return "safety_" + segment(workflowId) + "_" + segment(label);
  }

  /** Text made safe for one segment of a backup id. */
  static String segment(String text) {
    String safe = text.replaceAll("[^A-Za-z0-9_.-]", "-").replaceAll("\\.\\.+", ".");
    safe = safe.replaceAll("^[^A-Za-z0-9]+", "");
    return safe.isEmpty() ? "x" : safe.length() > 80 ? safe.substring(0, 80) : safe;
  }
}
