package io.drctl.activities.docker;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.drctl.activities.process.OutputTail;
import io.drctl.activities.secrets.SecretMask;

/**
 * The output of a {@code docker.exec} step, field for field the {@code output} schema of {@code
 * docker.exec} in the action catalog. Secret values resolved for the step are replaced by {@code
 * ****} in both streams. Also the details of its {@code UnexpectedExitCode} failure.
 *
 * @param exitCode the command's exit code
 * @param stdout the tail of standard output, at most {@code maxOutputBytes} bytes of UTF-8
 * @param stderr the tail of standard error, at most {@code maxOutputBytes} bytes of UTF-8
 * @param truncated whether either stream was cut
 * @param durationMillis run time of the command
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DockerExecResult(
    @JsonProperty("exitCode") int exitCode,
    @JsonProperty("stdout") String stdout,
    @JsonProperty("stderr") String stderr,
    @JsonProperty("truncated") boolean truncated,
    @JsonProperty("durationMillis") long durationMillis) {

  /** The result from the two captured streams, read with the step's secrets masked. */
  static DockerExecResult of(
      int exitCode, OutputTail stdout, OutputTail stderr, SecretMask mask, long durationMillis) {
    OutputTail.Text out = stdout.text(mask);
    OutputTail.Text err = stderr.text(mask);
    return new DockerExecResult(
        exitCode, out.text(), err.text(), out.truncated() || err.truncated(), durationMillis);
  }
}
