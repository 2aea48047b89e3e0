package io.drctl.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The two ends of {@code benchmarks/run all} and {@code benchmarks/run compare}:
 *
 * <ul>
 *   <li>{@code merge LINES.jsonl OUT.json DATE}: the figures the benchmarks recorded ({@link
 *       BenchmarkResults}) as one document, with the date and the machine's cores;
 *   <li>{@code compare A.json B.json}: the figures whose median ratio moved from A to B by more
 *       than their noise, which is the larger half-range (max − min) / 2 of the two runs' rounds.
 * </ul>
 */
public final class ResultsComparison {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ResultsComparison() {}

  public static void main(String[] args) throws IOException {
    if (args.length == 4 && args[0].equals("merge")) {
      merge(Path.of(args[1]), Path.of(args[2]), args[3]);
    } else if (args.length == 3 && args[0].equals("compare")) {
      List<String> lines = compare(read(Path.of(args[1])), read(Path.of(args[2])));
      lines.forEach(System.out::println);
    } else {
      System.err.println("usage: merge LINES.jsonl OUT.json DATE | compare A.json B.json");
      System.exit(2);
    }
  }

  static void merge(Path lines, Path out, String date) throws IOException {
    ObjectNode document =
        JSON.createObjectNode()
            .put("date", date)
            .put("cores", Runtime.getRuntime().availableProcessors());
    ArrayNode figures = document.putArray("figures");
    if (Files.exists(lines)) {
      for (String line : Files.readAllLines(lines)) {
        if (!line.isBlank()) {
          figures.add(JSON.readTree(line));
        }
      }
    }
    Files.createDirectories(out.toAbsolutePath().getParent());
    JSON.writerWithDefaultPrettyPrinter().writeValue(out.toFile(), document);
  }

  private static Map<String, JsonNode> read(Path file) throws IOException {
    JsonNode document;
    try {
      document = JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new IOException(file + " is not a results file: " + e.getMessage(), e);
    }
    Map<String, JsonNode> figures = new LinkedHashMap<>();
    for (JsonNode figure : document.path("figures")) {
      figures.put(
          figure.path("benchmark").asText() + " / " + figure.path("figure").asText(), figure);
    }
    return figures;
  }

  /** One line per figure in both runs that moved by more than its noise; a header first. */
  static List<String> compare(Map<String, JsonNode> before, Map<String, JsonNode> after) {
    List<String> lines = new ArrayList<>();
    lines.add("| figure | before: median (min–max) | after: median (min–max) | change | noise |");
    lines.add("|---|---|---|---:|---:|");
    int unchanged = 0;
    for (Map.Entry<String, JsonNode> entry : after.entrySet()) {
      JsonNode a = before.get(entry.getKey());
      if (a == null) {
        continue;
      }
      JsonNode b = entry.getValue();
      double noise = Math.max(halfRange(a), halfRange(b));
      double change = b.path("median").asDouble() - a.path("median").asDouble();
      if (Math.abs(change) <= noise) {
        unchanged++;
        continue;
      }
      lines.add(
          String.format(
              Locale.ROOT,
              "| %s | %s | %s | %+.3f | ±%.3f |",
              entry.getKey(),
              spread(a),
              spread(b),
              change,
              noise));
    }
    lines.add(unchanged + " figure(s) in both runs moved by no more than their noise");
    return lines;
  }

  private static double halfRange(JsonNode figure) {
    return (figure.path("max").asDouble() - figure.path("min").asDouble()) / 2;
  }

  private static String spread(JsonNode figure) {
    return String.format(
        Locale.ROOT,
        "%.3f (%.3f–%.3f)",
        figure.path("median").asDouble(),
        figure.path("min").asDouble(),
        figure.path("max").asDouble());
  }
}
