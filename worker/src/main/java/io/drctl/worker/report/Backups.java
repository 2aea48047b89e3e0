package io.drctl.worker.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The backups an incident touched: every object in a step's output that names a {@code backupId}
 * (backup.select, the dumps and snapshots, restores, verifications), with the {@code checksum}
 * beside it when there is one. Inputs are not read: there a backupId may be a selector such as
 * {@code latest}, and the output says which backup it picked.
 */
final class Backups {
  private Backups() {}

  static List<IncidentRecord.Backup> named(List<IncidentRecord.Step> steps) {
    Set<IncidentRecord.Backup> found = new LinkedHashSet<>();
    for (IncidentRecord.Step step : steps) {
      collect(step.output(), step.id(), found);
    }
    return new ArrayList<>(found);
  }

  private static void collect(JsonNode value, String step, Set<IncidentRecord.Backup> found) {
    if (value == null) {
      return;
    }
    if (value.isObject()
        && value.path("backupId").isTextual()
        && !value.path("backupId").asText().isEmpty()) {
      JsonNode checksum = value.path("checksum");
      found.add(
          new IncidentRecord.Backup(
              value.path("backupId").asText(),
              checksum.isTextual() ? checksum.asText() : null,
              step));
    }
    value.elements().forEachRemaining(child -> collect(child, step, found));
  }
}
