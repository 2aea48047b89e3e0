package io.drctl.activities.docker;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The output of a {@code docker.copyFrom} step, field for field the {@code output} schema of {@code
 * docker.copyFrom} in the action catalog.
 *
 * @param bytes bytes of regular files copied
 * @param files regular files copied
 * @param path absolute path of the copy on the worker
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DockerCopyFromResult(
    @JsonProperty("bytes") long bytes,
    @JsonProperty("files") int files,
    @JsonProperty("path") String path) {}
