package io.drctl.compiler;

import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.plan.InputValues;
import io.drctl.runbook.IncidentSpec;
import io.drctl.runbook.InputSpec;
import io.drctl.source.JsonPointers;
import java.util.Iterator;

/**
 * Checks inputs given to an incident elsewhere in the runbook (a {@code runbook} step, a schedule)
 * against the incident's typed inputs, as {@code drctl start --input} does at start.
 */
final class IncidentInputChecks {
  private IncidentInputChecks() {}

  /**
   * Reports unknown inputs (with did-you-mean), values of the wrong type, and required inputs not
   * given.
   *
   * @param given the inputs object as written (may be missing)
   * @param inputsPointer where {@code given} is
   * @param ownerPointer where a missing input is reported: the object that should hold the inputs
   * @param expressionsAllowed whether a {@code ${{ }}} value is checked later, as an expression
   */
  static void check(
      IncidentSpec incident,
      JsonNode given,
      String inputsPointer,
      String ownerPointer,
      boolean expressionsAllowed,
      Diagnostics out) {
    Iterator<String> names = given.fieldNames();
    while (names.hasNext()) {
      String input = names.next();
      String at = JsonPointers.child(inputsPointer, input);
      InputSpec spec = incident.inputsOrEmpty().get(input);
      if (spec == null) {
        out.errorAtKey(
            "unknown-input",
            at,
            "incident '" + incident.type() + "' has no input '" + input + "'",
            DidYouMean.hint(input, incident.inputsOrEmpty().keySet()));
        continue;
      }
      JsonNode value = given.get(input);
      if (!(expressionsAllowed && value.isTextual() && value.asText().contains("${{"))) {
        try {
          InputValues.coerce(spec, value);
        } catch (IllegalArgumentException e) {
          out.error(
              "wrong-type",
              at,
              "input '" + input + "' of incident '" + incident.type() + "': " + e.getMessage(),
              "'" + input + "': " + spec.description());
        }
      }
    }
    incident
        .inputsOrEmpty()
        .forEach(
            (input, spec) -> {
              if (spec.mustBeGiven() && !given.has(input)) {
                out.error(
                    "missing-input",
                    ownerPointer,
                    "incident '" + incident.type() + "' requires input '" + input + "'",
                    "'" + input + "': " + spec.description());
              }
            });
  }
}
