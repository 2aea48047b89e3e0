package io.drctl.activities.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The password reaches Redis only as AUTH: never a command line, a result, a heartbeat or a
 * failure.
 */
class RedisSecretsTest {
  @RegisterExtension final RedisFixture fixture = RedisFixture.withAof();

  /**
   * Every Redis program the actions run goes through a wrapper that logs its command line: the
   * checks by the tools directory, the restarted server because it was started through one.
   */
  @Test
  void noProgramTheActionsRunHasThePasswordOnItsCommandLine() throws Exception {
    Path tools = fixture.newDirectory("bin");
    Path argv = fixture.directory().resolve("argv.log");
    for (String tool : List.of("redis-server", "redis-check-aof", "redis-check-rdb")) {
      Path wrapper = tools.resolve(tool);
      // exec -a keeps the wrapper as argv[0]: Redis reports it as its executable, and a restart
      // runs it again.
      Files.writeString(
          wrapper,
          "#!/bin/bash\nprintf '%s\\n' \"$0 $*\" >> "
              + argv
              + "\nexec -a \"$0\" "
              + onPath(tool)
              + " \"$@\"\n");
      wrapper.toFile().setExecutable(true);
    }
    RedisTestServer server = fixture.restartWith(tools.resolve("redis-server").toString());
    List<RedisProgress> heartbeats = new ArrayList<>();
    List<Object> results = new ArrayList<>();
    try (RedisTestActivities wrapped =
        new RedisTestActivities(
            fixture.directory().resolve("store"), RedisTestServer.PASSWORD, tools)) {
      wrapped.environment.setActivityHeartbeatListener(RedisProgress.class, heartbeats::add);
      results.add(wrapped.backup(server, "aof"));
      results.add(wrapped.backup(server, "rdb"));
      results.add(wrapped.restore(server, "aof", "latest"));
      results.add(wrapped.restore(server, "rdb", "latest"));
    }

    List<String> commandLines = Files.readAllLines(argv);
    assertThat(commandLines)
        .anyMatch(line -> line.contains("redis-check-aof"))
        .anyMatch(line -> line.contains("redis-check-rdb"))
        .anyMatch(line -> line.contains("redis-server") && line.contains("--appendonly no"))
        .noneMatch(line -> line.contains(RedisTestServer.PASSWORD));
    assertThat(results)
        .hasSize(4)
        .allSatisfy(
            result -> assertThat(result.toString()).doesNotContain(RedisTestServer.PASSWORD));
    assertThat(heartbeats)
        .isNotEmpty()
        .allSatisfy(beat -> assertThat(beat.toString()).doesNotContain(RedisTestServer.PASSWORD));
  }

  @Test
  void aWrongPasswordFailsNonRetryablyWithoutQuotingIt() {
    String wrong = "wrong-" + RedisTestServer.PASSWORD;
    try (RedisTestActivities wronged =
        new RedisTestActivities(fixture.directory().resolve("store"), wrong)) {
      Throwable thrown =
          catchThrowable(
              () ->
                  wronged.activities.verify(
                      new RedisVerifyInput(
                          "redis", null, null, null, null, wronged.targets(fixture.server()))));

      ApplicationFailure failure = (ApplicationFailure) ((ActivityFailure) thrown).getCause();
      assertThat(failure.getType()).isEqualTo(RedisFailures.AUTHENTICATION_FAILED);
      assertThat(failure.isNonRetryable()).isTrue();
      assertThat(failure.getOriginalMessage())
          .doesNotContain(wrong)
          .doesNotContain(RedisTestServer.PASSWORD);
    }
  }

  @Test
  void inputsPrintTargetNamesNotTheirPasswordReferences() {
    RedisBackupInput input =
        new RedisBackupInput(
            "redis",
            "backups",
            null,
            null,
            null,
            null,
            fixture.actions().targets(fixture.server()));

    assertThat(input.toString())
        .contains("$targets=[redis, backups]")
        .doesNotContain(RedisTestServer.PASSWORD_REFERENCE);
  }

  private static String onPath(String program) {
    for (String directory : System.getenv("PATH").split(":")) {
      Path candidate = Path.of(directory, program);
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    throw new AssertionError(program + " is not on the PATH");
  }
}
