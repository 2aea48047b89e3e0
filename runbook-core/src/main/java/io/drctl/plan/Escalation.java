package io.drctl.plan;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The compiled escalation: the notification action the workflow runs when a step waits for an
 * operator or the RTO budget is nearly used. {@code with} keeps its expressions, which may read
 * {@code escalation.reason} and {@code escalation.step}.
 */
public record Escalation(String action, JsonNode with) {}
