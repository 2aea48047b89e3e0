package io.drctl.activities;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The values of issue 14's injection check, each aimed at a different way a command string goes
 * wrong: breaking out of double quotes to run {@code rm -rf x}, command substitution creating
 * {@code pwned}, a lone single quote (SQL and shell strings), a newline (a second command or
 * statement, a second line of a config file) and a NUL (a C string cut short). A test plants {@code
 * x} in the directory a process runs in ({@link #plant}) and checks afterwards that neither command
 * ran ({@link #assertNothingRan}).
 */
public final class InjectionPayloads {
  public static final String QUOTE_BREAKOUT = "\"; rm -rf x; \"";
  public static final String SUBSTITUTION = "$(touch pwned)";
  public static final String SINGLE_QUOTE = "'";
  public static final String NEWLINE = "line\nbreak";
  public static final String NUL = "nul\0byte";

  private InjectionPayloads() {}

  /** The five payloads, for {@code @MethodSource}. */
  public static List<String> all() {
    return List.of(QUOTE_BREAKOUT, SUBSTITUTION, SINGLE_QUOTE, NEWLINE, NUL);
  }

  /** Whether PostgreSQL, a file name or a one-line format can hold the payload at all. */
  public static boolean hasControlCharacter(String payload) {
    return payload.chars().anyMatch(Character::isISOControl);
  }

  /**
   * Creates {@code x} (a directory holding a file) in {@code directory}: what the first payload
   * deletes.
   */
  public static void plant(Path directory) throws IOException {
    Files.writeString(Files.createDirectories(directory.resolve("x")).resolve("kept"), "kept");
  }

  /** {@code x} is still there and {@code pwned} never appeared in {@code directory}. */
  public static void assertNothingRan(Path directory) {
    assertThat(directory.resolve("x").resolve("kept")).exists();
    assertThat(directory.resolve("pwned")).doesNotExist();
  }

  /**
   * A non-retryable {@link ActionFailures#INVALID_INPUT} whose message starts by naming {@code
   * parameter}.
   */
  public static void assertInvalidInput(ApplicationFailure failure, String parameter) {
    assertThat(failure.getType()).isEqualTo(ActionFailures.INVALID_INPUT);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage()).startsWith(parameter);
  }
}
