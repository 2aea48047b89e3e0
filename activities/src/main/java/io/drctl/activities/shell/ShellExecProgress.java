package io.drctl.activities.shell;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Heartbeat details of a running {@code shell.exec}: what an operator sees on the pending activity.
 * Redacted like the output.
 *
 * @param elapsedSeconds seconds since the program started
 * @param stdoutBytes bytes written to stdout so far (all of them, not just the kept tail)
 * @param stderrBytes bytes written to stderr so far
 * @param lastLine the last line written to either stream, shortened to 200 characters
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ShellExecProgress(
    @JsonProperty("elapsedSeconds") long elapsedSeconds,
    @JsonProperty("stdoutBytes") long stdoutBytes,
    @JsonProperty("stderrBytes") long stderrBytes,
    @JsonProperty("lastLine") String lastLine) {}
