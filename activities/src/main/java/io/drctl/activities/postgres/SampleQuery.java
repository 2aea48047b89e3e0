package io.drctl.activities.postgres;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One sample query of {@code postgres.verify}: it must succeed in a READ ONLY transaction and, when
 * {@code expected} is given, the first column of its first row must equal it (numbers compared as
 * numbers, booleans as booleans, anything else as text). Immutable.
 *
 * @param name name shown in the report, or {@code null} to show the SQL
 * @param sql the query
 * @param expected expected first value (string, number, boolean), or {@code null} for no check
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SampleQuery(
    @JsonProperty("name") String name,
    @JsonProperty("sql") String sql,
    @JsonProperty("expected") Object expected) {

  String label() {
    return name != null ? name : sql.length() <= 60 ? sql : sql.substring(0, 57) + "...";
  }
}
