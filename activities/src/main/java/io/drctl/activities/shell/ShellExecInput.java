package io.drctl.activities.shell;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code with} of a {@code shell.exec} step, field for field the {@code params} of {@code
 * shell.exec} in the action catalog ({@code io/drctl/catalog/shell.json}). Absent fields take the
 * catalog's defaults; unknown fields are ignored. Immutable.
 *
 * @param argv program and arguments; the program is looked up in the child's {@code PATH}
 * @param env extra environment variables; a value that starts with {@code env:} or {@code file:} is
 *     a secret reference, resolved by the activity
 * @param workingDirectory working directory, or {@code null} for a fresh temporary directory
 * @param stdin text written to standard input, or {@code null} for an empty standard input
 * @param expectedExitCode the exit code that means success
 * @param maxOutputBytes bytes of stdout and of stderr kept (the tail); the rest is cut
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ShellExecInput(
    @JsonProperty("argv") List<String> argv,
    @JsonProperty("env") Map<String, String> env,
    @JsonProperty("workingDirectory") String workingDirectory,
    @JsonProperty("stdin") String stdin,
    @JsonProperty("expectedExitCode") Integer expectedExitCode,
    @JsonProperty("maxOutputBytes") Integer maxOutputBytes) {

  public static final int DEFAULT_EXPECTED_EXIT_CODE = 0;
  public static final int DEFAULT_MAX_OUTPUT_BYTES = 65_536;
  public static final int MAX_OUTPUT_BYTES_LIMIT = 10_485_760;

  // Copies keep nulls inside the collections: the activity reports them as InvalidInput, which a
  // failing constructor (a data converter error) could not.
  public ShellExecInput {
    argv = argv == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(argv));
    env = env == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(env));
    expectedExitCode = expectedExitCode == null ? DEFAULT_EXPECTED_EXIT_CODE : expectedExitCode;
    maxOutputBytes = maxOutputBytes == null ? DEFAULT_MAX_OUTPUT_BYTES : maxOutputBytes;
  }

  /** Just a program and its arguments, every other field at its default. */
  public static ShellExecInput of(String... argv) {
    return new ShellExecInput(List.of(argv), null, null, null, null, null);
  }

  public ShellExecInput withEnv(Map<String, String> newEnv) {
    return new ShellExecInput(
        argv, newEnv, workingDirectory, stdin, expectedExitCode, maxOutputBytes);
  }

  public ShellExecInput withWorkingDirectory(String directory) {
    return new ShellExecInput(argv, env, directory, stdin, expectedExitCode, maxOutputBytes);
  }

  public ShellExecInput withStdin(String text) {
    return new ShellExecInput(argv, env, workingDirectory, text, expectedExitCode, maxOutputBytes);
  }

  public ShellExecInput withExpectedExitCode(int code) {
    return new ShellExecInput(argv, env, workingDirectory, stdin, code, maxOutputBytes);
  }

  public ShellExecInput withMaxOutputBytes(int bytes) {
    return new ShellExecInput(argv, env, workingDirectory, stdin, expectedExitCode, bytes);
  }

  /** Shows env names but not values (a literal value may be a secret someone pasted) nor stdin. */
  @Override
  public String toString() {
    return "ShellExecInput[argv="
        + argv
        + ", env="
        + env.keySet()
        + ", workingDirectory="
        + workingDirectory
        + ", stdin="
        + (stdin == null ? "none" : stdin.length() + " chars")
        + ", expectedExitCode="
        + expectedExitCode
        + ", maxOutputBytes="
        + maxOutputBytes
        + "]";
  }
}
