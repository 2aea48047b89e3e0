package io.drctl.worker.drill;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.drctl.workflow.IncidentReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The measured durations of the steps of earlier real drills, {@code INCIDENT/STEP → [millis...]}
 * (the newest {@value #KEPT} each), kept in one JSON file that real drills add to and {@code
 * --simulate} reads to predict. Written atomically (a temporary file, then a rename).
 */
final class StepDurations {
  static final String FILE = "step-durations.json";
  private static final int KEPT = 20;
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Map<String, List<Long>> millis;

  private StepDurations(Map<String, List<Long>> millis) {
    this.millis = millis;
  }

  /** The measured range of one step: fastest, median and slowest of the drills recorded. */
  record Range(long min, long median, long max, int drills) {}

  /**
   * Reads {@code file}; an absent file is an empty history.
   *
   * @throws DrillException when it exists but is not such a file
   */
  static StepDurations read(Path file) {
    Map<String, List<Long>> millis = new LinkedHashMap<>();
    if (!Files.exists(file)) {
      return new StepDurations(millis);
    }
    try {
      JsonNode root = JSON.readTree(file.toFile());
      Iterator<Map.Entry<String, JsonNode>> fields = root.path("steps").fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> entry = fields.next();
        List<Long> values = new ArrayList<>();
        entry.getValue().forEach(value -> values.add(value.asLong()));
        millis.put(entry.getKey(), values);
      }
    } catch (IOException e) {
      throw new DrillException(
          file + ": not a step-durations file of drctl drill (" + e.getMessage() + ")", e);
    }
    return new StepDurations(millis);
  }

  /** Adds the duration of every step of {@code report} that ran. */
  void add(IncidentReport report) {
    for (IncidentReport.StepReport step : report.steps()) {
      if (step.durationMillis() == null || step.startedAt() == null) {
        continue;
      }
      List<Long> values =
          millis.computeIfAbsent(key(report.type(), step.id()), key -> new ArrayList<>());
      values.add(step.durationMillis());
      if (values.size() > KEPT) {
        values.remove(0);
      }
    }
  }

  /** The recorded range of {@code incident}'s step {@code step}, if any drill measured it. */
  Optional<Range> range(String incident, String step) {
    List<Long> values = millis.get(key(incident, step));
    if (values == null || values.isEmpty()) {
      return Optional.empty();
    }
    List<Long> sorted = values.stream().sorted().toList();
    return Optional.of(
        new Range(
            sorted.get(0),
            sorted.get(sorted.size() / 2),
            sorted.get(sorted.size() - 1),
            sorted.size()));
  }

  /** Writes the history to {@code file} atomically. */
  void write(Path file) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("about", "measured step durations of drctl drill runs, in milliseconds, newest last");
    ObjectNode steps = root.putObject("steps");
    millis.forEach(
        (key, values) -> {
          ArrayNode array = steps.putArray(key);
          values.forEach(array::add);
        });
    Files.createDirectories(file.toAbsolutePath().getParent());
    Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(temporary, JSON.writeValueAsString(root));
    Files.move(
        temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static String key(String incident, String step) {
    return incident + "/" + step;
  }
}
