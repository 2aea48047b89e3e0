package io.drctl.activities.shell;

import static io.drctl.activities.shell.ShellTestSupport.applicationFailure;
import static org.assertj.core.api.Assertions.assertThat;

import io.drctl.activities.InjectionPayloads;
import io.drctl.activities.secrets.SecretResolver;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.testing.TestActivityEnvironment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code shell.exec} with each injection payload in argv, env, stdin and workingDirectory: a
 * payload is one argv element (or one variable's value, or input bytes), never shell text, and what
 * a process cannot carry (a NUL) is InvalidInput naming the parameter.
 */
class ShellInjectionTest {
  private static final ActivityOptions OPTIONS =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofSeconds(30))
          .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
          .build();

  private static TestActivityEnvironment environment;
  private static ShellActivities shell;

  @TempDir Path directory;

  @BeforeAll
  static void startEnvironment() {
    environment = TestActivityEnvironment.newInstance();
    environment.registerActivitiesImplementations(
        new ShellActivitiesImpl(new SecretResolver(Map.of()), ShellTestSupport.options()));
    shell = environment.newActivityStub(ShellActivities.class, OPTIONS);
  }

  @AfterAll
  static void stopEnvironment() {
    environment.close();
  }

  @BeforeEach
  void plant() throws Exception {
    InjectionPayloads.plant(directory);
  }

  static List<String> payloads() {
    return InjectionPayloads.all();
  }

  @ParameterizedTest
  @MethodSource("payloads")
  void aPayloadInArgvIsOneArgumentEvenToAShellScript(String payload) {
    // printf sees it as its one operand; sh -c sees it as $1, which the script only expands quoted.
    ShellExecInput direct =
        new ShellExecInput(
            List.of("printf", "%s", payload), null, directory.toString(), null, null, null);
    ShellExecInput script =
        new ShellExecInput(
            List.of("sh", "-c", "printf '%s|' \"$#\" \"$1\"", "sh", payload),
            null,
            directory.toString(),
            null,
            null,
            null);

    if (payload.indexOf('\0') >= 0) {
      InjectionPayloads.assertInvalidInput(applicationFailure(() -> shell.exec(direct)), "argv[2]");
      InjectionPayloads.assertInvalidInput(applicationFailure(() -> shell.exec(script)), "argv[4]");
    } else {
      assertThat(shell.exec(direct).stdout()).isEqualTo(payload);
      assertThat(shell.exec(script).stdout()).isEqualTo("1|" + payload + "|");
    }
    InjectionPayloads.assertNothingRan(directory);
  }

  @ParameterizedTest
  @MethodSource("payloads")
  void aPayloadInEnvOrStdinIsData(String payload) {
    ShellExecInput env =
        new ShellExecInput(
            List.of("sh", "-c", "printf %s \"$PAYLOAD\""),
            Map.of("PAYLOAD", payload),
            directory.toString(),
            null,
            null,
            null);
    ShellExecInput stdin =
        new ShellExecInput(List.of("cat"), null, directory.toString(), payload, null, null);

    if (payload.indexOf('\0') >= 0) {
      InjectionPayloads.assertInvalidInput(
          applicationFailure(() -> shell.exec(env)), "env.PAYLOAD");
    } else {
      assertThat(shell.exec(env).stdout()).isEqualTo(payload);
    }
    assertThat(shell.exec(stdin).stdout()).isEqualTo(payload);
    InjectionPayloads.assertNothingRan(directory);
  }

  @ParameterizedTest
  @MethodSource("payloads")
  void aPayloadAsWorkingDirectoryIsOnePathThatMustExist(String payload) {
    ShellExecInput input =
        new ShellExecInput(
            List.of("true"),
            null,
            directory.resolve("sub").toString() + "/" + payload,
            null,
            null,
            null);

    InjectionPayloads.assertInvalidInput(
        applicationFailure(() -> shell.exec(input)), "workingDirectory");
    InjectionPayloads.assertNothingRan(directory);
  }
}
