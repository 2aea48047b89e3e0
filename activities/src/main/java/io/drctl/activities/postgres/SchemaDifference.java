package io.drctl.activities.postgres;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One object whose definition differs between the checked schema and the schema it is compared
 * with.
 *
 * @param kind the object's kind as the dump's statement says it, e.g. {@code TABLE}, {@code INDEX}
 * @param name the object's name, e.g. {@code public.orders}
 * @param change {@code missing} (only in the compared schema), {@code extra} (only in the checked
 *     server) or {@code changed}
 * @param against what the checked schema was compared with: the reference target's name, or {@code
 *     backup <id>}
 */
public record SchemaDifference(
    @JsonProperty("kind") String kind,
    @JsonProperty("name") String name,
    @JsonProperty("change") String change,
    @JsonProperty("against") String against) {}
