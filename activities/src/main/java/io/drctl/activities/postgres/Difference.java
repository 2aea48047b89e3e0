package io.drctl.activities.postgres;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One finding of {@code postgres.verify}.
 *
 * @param check what failed: rowCount, fingerprint, amcheck or query
 * @param subject the table, index or query concerned
 * @param expected what was expected, as text
 * @param actual what was found, as text (an error message for a failed query or check)
 */
public record Difference(
    @JsonProperty("check") String check,
    @JsonProperty("subject") String subject,
    @JsonProperty("expected") String expected,
    @JsonProperty("actual") String actual) {

  /** One line: {@code check subject: expected X, got Y}. */
  String line() {
    return check + " " + subject + ": expected " + expected + ", got " + actual;
  }
}
