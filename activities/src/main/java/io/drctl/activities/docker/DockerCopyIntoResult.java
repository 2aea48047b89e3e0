package io.drctl.activities.docker;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The output of a {@code docker.copyInto} step, field for field the {@code output} schema of {@code
 * docker.copyInto} in the action catalog.
 *
 * @param bytes bytes of regular files copied
 * @param files regular files copied
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DockerCopyIntoResult(
    @JsonProperty("bytes") long bytes, @JsonProperty("files") int files) {}
