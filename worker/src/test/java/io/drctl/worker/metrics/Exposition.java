package io.drctl.worker.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prometheus text exposition (format 0.0.4) parsed into samples, as a scraper reads it: each line
 * {@code name{label="value",...} number}; comments and blank lines skipped.
 */
public record Exposition(List<Sample> samples) {
  private static final Pattern LINE =
      Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s+(\\S+)(\\s+\\d+)?");
  private static final Pattern LABEL =
      Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

  /** One sample: a metric name, its labels and its value. */
  public record Sample(String name, Map<String, String> labels, double value) {}

  /**
   * Parses the text.
   *
   * @throws IllegalArgumentException naming the first line that is not a sample
   */
  public static Exposition parse(String text) {
    List<Sample> samples = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      Matcher matcher = LINE.matcher(line.strip());
      if (!matcher.matches()) {
        throw new IllegalArgumentException("not a sample line: " + line);
      }
      Map<String, String> labels = new LinkedHashMap<>();
      if (matcher.group(3) != null) {
        Matcher label = LABEL.matcher(matcher.group(3));
        int end = 0;
        while (label.find() && label.start() == end) {
          labels.put(label.group(1), label.group(2));
          end = label.end();
        }
        if (end != matcher.group(3).length()) {
          throw new IllegalArgumentException("bad labels in: " + line);
        }
      }
      samples.add(new Sample(matcher.group(1), labels, Double.parseDouble(matcher.group(4))));
    }
    return new Exposition(List.copyOf(samples));
  }

  /** The samples of {@code name} whose labels include {@code labels} (pairs of name and value). */
  public List<Sample> find(String name, String... labels) {
    return samples.stream()
        .filter(sample -> sample.name().equals(name) && matches(sample, labels))
        .toList();
  }

  /**
   * The value of the one sample of {@code name} with {@code labels}, or empty when there is none.
   */
  public OptionalDouble value(String name, String... labels) {
    List<Sample> found = find(name, labels);
    if (found.size() > 1) {
      throw new IllegalStateException(
          found.size()
              + " samples of "
              + name
              + " match "
              + String.join(",", labels)
              + ": "
              + found);
    }
    return found.isEmpty() ? OptionalDouble.empty() : OptionalDouble.of(found.get(0).value());
  }

  /** Whether any sample's name starts with {@code prefix}. */
  public boolean hasSeriesStartingWith(String prefix) {
    return samples.stream().anyMatch(sample -> sample.name().startsWith(prefix));
  }

  private static boolean matches(Sample sample, String... labels) {
    for (int i = 0; i + 1 < labels.length; i += 2) {
      if (!labels[i + 1].equals(sample.labels().get(labels[i]))) {
        return false;
      }
    }
    return true;
  }
}
