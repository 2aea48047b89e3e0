package io.drctl.activities.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.drctl.activities.InjectionPayloads;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code redis.verify}'s sampleKeys, the input that reaches a Redis command, with each injection
 * payload: a key is one bulk string of the RESP protocol, so even a newline or a NUL is part of the
 * key's name, and the keyspace is as it was.
 */
class RedisInjectionTest {
  @RegisterExtension final RedisFixture fixture = RedisFixture.emptyWithoutAof();

  static List<String> payloads() {
    return InjectionPayloads.all();
  }

  @ParameterizedTest
  @MethodSource("payloads")
  void aSampleKeyIsOneKeyNamedLiterally(String payload) {
    RedisTestActivities actions = fixture.actions();
    fixture.server().redis(redis -> redis.set(payload, "planted"));

    RedisVerifyResult present =
        actions.activities.verify(
            new RedisVerifyInput(
                "redis", 1, List.of(payload), false, true, actions.targets(fixture.server())));
    RedisVerifyResult absent =
        actions.activities.verify(
            new RedisVerifyInput(
                "redis",
                1,
                List.of(payload + "\r\nFLUSHALL\r\n"),
                false,
                false,
                actions.targets(fixture.server())));

    assertThat(present.ok()).isTrue();
    assertThat(present.missingKeys()).isEmpty();
    assertThat(absent.missingKeys()).containsExactly(payload + "\r\nFLUSHALL\r\n");
    List<String> keys = fixture.server().redis(redis -> redis.keys("*"));
    assertThat(keys).containsExactly(payload);
  }
}
