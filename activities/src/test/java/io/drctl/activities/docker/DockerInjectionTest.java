package io.drctl.activities.docker;

import static io.drctl.activities.docker.DockerTestEngine.containerTarget;
import static io.drctl.activities.http.HttpTestSupport.applicationFailure;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.activities.ActionFailures;
import io.drctl.activities.InjectionPayloads;
import io.drctl.activities.secrets.SecretResolver;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code docker.exec} with each injection payload in argv, in argv of a {@code sh -c} script, in
 * env and in stdin, in a real container whose working directory {@code /w} holds a planted
 * {@code x}: the payload arrives as one value, no shell reads it, and a NUL is InvalidInput
 * naming the parameter.
 */
class DockerInjectionTest {
  @RegisterExtension static final DockerTestEngine docker = new DockerTestEngine();

  private TestActivityEnvironment environment;
  private DockerActivitiesImpl implementation;
  private DockerActivities activities;
  private String container;
  private Map<String, JsonNode> targets;

  @BeforeEach
  void start() {
    environment = TestActivityEnvironment.newInstance();
    implementation = new DockerActivitiesImpl(new SecretResolver(Map.of()), docker.options());
    environment.registerActivitiesImplementations(implementation);
    activities = environment.newActivityStub(DockerActivities.class, DockerLifecycleTest.OPTIONS);
    container = docker.run("app", create -> create.withCmd("sh", "-c",
        "trap 'exit 0' TERM; while true; do sleep 0.1; done"));
    docker.shell(container, "mkdir -p /w/x && echo kept > /w/x/kept");
    targets = containerTarget("app", container, null);
  }

  @AfterEach
  void stop() {
    environment.close();
    implementation.close();
  }

  static List<String> payloads() {
    return InjectionPayloads.all();
  }

  @ParameterizedTest
  @MethodSource("payloads")
  void aPayloadIsOneArgumentOneVariableOrInputBytesInTheContainer(String payload) {
    DockerExecInput direct = DockerExecInput.of("app", targets, "printf", "%s", payload).withWorkingDirectory("/w");
    DockerExecInput script = DockerExecInput.of("app", targets, "sh", "-c", "printf '%s|' \"$#\" \"$1\"", "sh",
        payload).withWorkingDirectory("/w");
    DockerExecInput env = DockerExecInput.of("app", targets, "sh", "-c", "printf %s \"$PAYLOAD\"")
        .withEnv(Map.of("PAYLOAD", payload)).withWorkingDirectory("/w");
    DockerExecInput stdin = DockerExecInput.of("app", targets, "cat").withStdin(payload).withWorkingDirectory("/w");

    if (payload.indexOf('\0') >= 0) {
      assertInvalid(applicationFailure(() -> activities.exec(direct)), "argv[2]");
      assertInvalid(applicationFailure(() -> activities.exec(script)), "argv[4]");
      assertInvalid(applicationFailure(() -> activities.exec(env)), "env.PAYLOAD");
    } else {
      assertThat(activities.exec(direct).stdout()).isEqualTo(payload);
      assertThat(activities.exec(script).stdout()).isEqualTo("1|" + payload + "|");
      assertThat(activities.exec(env).stdout()).isEqualTo(payload);
    }
    assertThat(activities.exec(stdin).stdout()).isEqualTo(payload);
    assertThat(docker.shell(container, "ls -A /w; cat /w/x/kept")).isEqualTo("x\nkept\n");
  }

  private static void assertInvalid(ApplicationFailure failure, String parameter) {
    assertThat(failure.getType()).isEqualTo(ActionFailures.INVALID_INPUT);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage()).startsWith(parameter);
  }
}
