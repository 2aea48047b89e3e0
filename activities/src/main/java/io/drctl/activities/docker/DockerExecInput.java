package io.drctl.activities.docker;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.activities.targets.StepTargets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code with} of a {@code docker.exec} step, field for field the {@code params} of {@code
 * docker.exec} in the action catalog, plus {@value StepTargets#MEMBER}. Absent fields take the
 * catalog's defaults; unknown fields are ignored. Immutable.
 *
 * @param target container, postgres or redis target whose container runs the command
 * @param argv program and arguments, run without a shell
 * @param stdin text written to standard input, or {@code null} for none
 * @param env environment variables; values {@code env:NAME} or {@code file:/path} are secret
 *     references, resolved by the activity
 * @param user user to run as, or {@code null} for the container's
 * @param workingDirectory working directory inside the container, or {@code null}
 * @param expectedExitCode the exit code that means success
 * @param maxOutputBytes bytes of stdout and of stderr kept (the tail)
 * @param targets the step's targets by name, as the plan holds them
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DockerExecInput(
    @JsonProperty("target") String target,
    @JsonProperty("argv") List<String> argv,
    @JsonProperty("stdin") String stdin,
    @JsonProperty("env") Map<String, String> env,
    @JsonProperty("user") String user,
    @JsonProperty("workingDirectory") String workingDirectory,
    @JsonProperty("expectedExitCode") Integer expectedExitCode,
    @JsonProperty("maxOutputBytes") Integer maxOutputBytes,
    @JsonProperty(StepTargets.MEMBER) Map<String, JsonNode> targets) {

  public static final int DEFAULT_EXPECTED_EXIT_CODE = 0;
  public static final int DEFAULT_MAX_OUTPUT_BYTES = 65_536;
  public static final int MAX_OUTPUT_BYTES_LIMIT = 10_485_760;

  // Copies keep nulls inside the collections: the activity reports them as InvalidInput.
  public DockerExecInput {
    argv = argv == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(argv));
    env = env == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(env));
    expectedExitCode = expectedExitCode == null ? DEFAULT_EXPECTED_EXIT_CODE : expectedExitCode;
    maxOutputBytes = maxOutputBytes == null ? DEFAULT_MAX_OUTPUT_BYTES : maxOutputBytes;
    targets = DockerInputs.targets(targets);
  }

  /** {@code argv} in {@code target}'s container, every other field at its default. */
  public static DockerExecInput of(String target, Map<String, JsonNode> targets, String... argv) {
    return new DockerExecInput(target, List.of(argv), null, null, null, null, null, null, targets);
  }

  public DockerExecInput withStdin(String text) {
    return new DockerExecInput(
        target, argv, text, env, user, workingDirectory, expectedExitCode, maxOutputBytes, targets);
  }

  public DockerExecInput withEnv(Map<String, String> newEnv) {
    return new DockerExecInput(
        target,
        argv,
        stdin,
        newEnv,
        user,
        workingDirectory,
        expectedExitCode,
        maxOutputBytes,
        targets);
  }

  public DockerExecInput withUser(String newUser) {
    return new DockerExecInput(
        target,
        argv,
        stdin,
        env,
        newUser,
        workingDirectory,
        expectedExitCode,
        maxOutputBytes,
        targets);
  }

  public DockerExecInput withWorkingDirectory(String directory) {
    return new DockerExecInput(
        target, argv, stdin, env, user, directory, expectedExitCode, maxOutputBytes, targets);
  }

  public DockerExecInput withExpectedExitCode(int code) {
    return new DockerExecInput(
        target, argv, stdin, env, user, workingDirectory, code, maxOutputBytes, targets);
  }

  public DockerExecInput withMaxOutputBytes(int bytes) {
    return new DockerExecInput(
        target, argv, stdin, env, user, workingDirectory, expectedExitCode, bytes, targets);
  }

  /** Shows env names but not values (a literal may be a pasted secret) nor stdin. */
  @Override
  public String toString() {
    return "DockerExecInput[target="
        + target
        + ", argv="
        + argv
        + ", stdin="
        + (stdin == null ? "none" : stdin.length() + " chars")
        + ", env="
        + env.keySet()
        + ", user="
        + user
        + ", workingDirectory="
        + workingDirectory
        + ", expectedExitCode="
        + expectedExitCode
        + ", maxOutputBytes="
        + maxOutputBytes
        + ", "
        + StepTargets.MEMBER
        + "="
        + targets.keySet()
        + "]";
  }
}
