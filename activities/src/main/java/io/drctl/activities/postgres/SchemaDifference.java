package io.drctl.activities.postgres;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One object whose definition differs between the checked schema and the reference.
 *
 * @param kind the object's kind as the dump's statement says it, e.g. {@code TABLE}, {@code INDEX}
 * @param name the object's name, e.g. {@code public.orders}
 * @param change {@code missing} (only in the reference), {@code extra} (only in the checked
 *     server) or {@code changed}
 */
public record SchemaDifference(
    @JsonProperty("kind") String kind,
    @JsonProperty("name") String name,
    @JsonProperty("change") String change) {}
