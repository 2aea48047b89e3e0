package io.drctl.runbook;

import java.util.List;
import java.util.Map;

/** A whole runbook as written, after schema validation. */
public record RunbookSpec(
    String version,
    String name,
    String description,
    Map<String, TargetSpec> targets,
    DefaultsSpec defaults,
    Map<String, String> lintRules,
    List<IncidentSpec> incidents) {}
