package io.drctl.runbook;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Recovery objectives from the SLA table, as durations (e.g. 30m). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Objectives(String rto, String rpo) {}
