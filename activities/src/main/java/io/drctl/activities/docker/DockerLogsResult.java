package io.drctl.activities.docker;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The output of a {@code docker.logs} step, field for field the {@code output} schema of {@code
 * docker.logs} in the action catalog.
 *
 * @param lines lines in {@code text}
 * @param matches lines that matched {@code grep} (all lines read without grep), including any that
 *     {@code maxOutputBytes} cut from {@code text}
 * @param text the lines, stdout and stderr in the order the engine returned them, each ending in a
 *     newline
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DockerLogsResult(
    @JsonProperty("lines") int lines,
    @JsonProperty("matches") int matches,
    @JsonProperty("text") String text) {}
