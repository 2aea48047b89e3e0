package io.drctl.worker.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The files under {@code deploy/} as trees, and the metric names their PromQL may use. */
final class DeployFiles {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  static final Path DEPLOY = ROOT.resolve("deploy");

  /**
   * drctl's own metrics, as issue 18 names them, and the objectives the worker exports beside them.
   */
  static final Set<String> DRCTL_METRICS =
      Set.of(
          "drctl_incidents_total",
          "drctl_incident_duration_seconds",
          "drctl_rpo_lost_seconds",
          "drctl_incident_rto_objective_seconds",
          "drctl_incident_rpo_objective_seconds",
          "drctl_step_attempts_total",
          "drctl_backup_age_seconds",
          "drctl_backup_size_bytes",
          "drctl_backup_last_verified_timestamp",
          "drctl_restore_test_age_seconds");

  /** What Prometheus derives from a timer or histogram of one of those. */
  private static final List<String> SERIES_SUFFIXES =
      List.of("", "_sum", "_count", "_bucket", "_max");

  /** A metric-looking word in PromQL: a name followed by a selector, a range or an operator. */
  private static final Pattern DRCTL_NAME = Pattern.compile("\\b(drctl_[a-z0-9_]+)\\b");

  private static final YAMLMapper YAML = new YAMLMapper();
  private static final ObjectMapper JSON = new ObjectMapper();

  private DeployFiles() {}

  static JsonNode yaml(Path file) {
    try {
      return YAML.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every document of a multi-document YAML file, empty ones left out. */
  static List<JsonNode> yamlDocuments(Path file) {
    List<JsonNode> documents = new ArrayList<>();
    try (var parser = new YAMLFactory().createParser(file.toFile())) {
      var values = YAML.readValues(parser, JsonNode.class);
      while (values.hasNext()) {
        JsonNode document = values.next();
        if (document != null && !document.isNull() && !document.isMissingNode()) {
          documents.add(document);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return documents;
  }

  static JsonNode json(Path file) {
    try {
      return JSON.readTree(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The drctl_* names a PromQL expression reads. */
  static Set<String> drctlNames(String promql) {
    Set<String> names = new TreeSet<>();
    Matcher matcher = DRCTL_NAME.matcher(promql);
    while (matcher.find()) {
      names.add(matcher.group(1));
    }
    return names;
  }

  /** The metric of the issue that a series name belongs to, or null. */
  static String metricOf(String series) {
    for (String metric : DRCTL_METRICS) {
      for (String suffix : SERIES_SUFFIXES) {
        if (series.equals(metric + suffix)) {
          return metric;
        }
      }
    }
    return null;
  }
}
