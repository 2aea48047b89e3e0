package io.drctl.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultsComparisonTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode figure(double median, double min, double max) throws Exception {
    return JSON.readTree(
        "{\"median\": " + median + ", \"min\": " + min + ", \"max\": " + max + "}");
  }

  @Test
  void onlyFiguresThatMovedByMoreThanTheirNoiseAreListed() throws Exception {
    Map<String, JsonNode> before =
        Map.of(
            "store / local write", figure(2.0, 1.9, 2.1),
            "cli / validate", figure(3.0, 2.0, 4.0));
    Map<String, JsonNode> after =
        Map.of(
            "store / local write", figure(1.2, 1.1, 1.3),
            "cli / validate", figure(3.5, 3.0, 4.0));
    List<String> lines = ResultsComparison.compare(before, after);
    assertThat(lines)
        .anyMatch(line -> line.startsWith("| store / local write |") && line.contains("-0.800"));
    assertThat(lines).noneMatch(line -> line.startsWith("| cli / validate |"));
    assertThat(lines.get(lines.size() - 1)).startsWith("1 figure(s)");
  }

  @Test
  void mergeMakesOneDocumentOfTheRecordedLines(@TempDir Path dir) throws Exception {
    Path lines = dir.resolve("lines.jsonl");
    Files.writeString(
        lines,
        "{\"benchmark\":\"store\",\"figure\":\"x\",\"median\":1.0,\"min\":0.9,\"max\":1.1}\n\n");
    Path out = dir.resolve("results/2026-12-07.json");
    ResultsComparison.merge(lines, out, "2026-12-07");
    JsonNode document = JSON.readTree(out.toFile());
    assertThat(document.path("date").asText()).isEqualTo("2026-12-07");
    assertThat(document.path("figures")).hasSize(1);
    assertThat(document.path("figures").get(0).path("benchmark").asText()).isEqualTo("store");
  }
}
