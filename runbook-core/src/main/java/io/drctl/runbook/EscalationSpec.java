package io.drctl.runbook;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** How an incident reaches a human, as written: a notification action and its parameters. */
public record EscalationSpec(String action, @JsonProperty("with") ObjectNode with) {}
