package io.drctl.activities.shell;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The output of a {@code shell.exec} step, field for field the {@code output} schema of {@code
 * shell.exec} in the action catalog. Secret values resolved for the step are replaced by {@code
 * ****} in both streams.
 *
 * @param exitCode the program's exit code
 * @param stdout the tail of standard output, at most {@code maxOutputBytes} bytes of UTF-8
 * @param stderr the tail of standard error, at most {@code maxOutputBytes} bytes of UTF-8
 * @param truncated whether either stream was cut
 * @param durationMillis run time of the program
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ShellExecResult(
    @JsonProperty("exitCode") int exitCode,
    @JsonProperty("stdout") String stdout,
    @JsonProperty("stderr") String stderr,
    @JsonProperty("truncated") boolean truncated,
    @JsonProperty("durationMillis") long durationMillis) {}
