package io.drctl.activities.docker;

import io.drctl.activities.secrets.SecretMask;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class CapturedOutputTest {

  private static CapturedOutput written(int limit, List<String> secrets, String text) {
    CapturedOutput output = new CapturedOutput(limit, SecretMask.of(secrets));
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    output.append(bytes, 0, bytes.length);
    return output;
  }

  @Test
  void keepsEverythingUpToTheLimit() {
    CapturedOutput output = written(10, List.of(), "0123456789");

    assertThat(output.text()).isEqualTo("0123456789");
    assertThat(output.truncated()).isFalse();
  }

  @Test
  void keepsTheTailBeyondTheLimitOnACharacterBoundary() {
    CapturedOutput fits = written(6, List.of(), "abcdé€xyz");
    CapturedOutput splits = written(5, List.of(), "abcdé€xyz");

    assertThat(fits.text()).isEqualTo("€xyz");
    assertThat(fits.truncated()).isTrue();
    assertThat(fits.totalBytes()).isEqualTo(12);
    assertThat(splits.text()).as("the half of € is dropped").isEqualTo("xyz");
  }

  @Test
  void masksSecretsAndDropsTheRemainsOfOneCutAtTheFront() {
    CapturedOutput whole = written(100, List.of("hunter2"), "password=hunter2\n");
    // Capacity is 10 + 7 bytes: the ring keeps "nter2 a hunter2 b", a secret's end masking cannot see.
    CapturedOutput cut = written(10, List.of("hunter2"), "hunter2 a hunter2 b");

    assertThat(whole.text()).isEqualTo("password=****\n");
    assertThat(cut.text()).isEqualTo(" a **** b");
  }

  @Test
  void aZeroLimitKeepsNothingButCountsAll() {
    CapturedOutput output = written(0, List.of(), "abc");

    assertThat(output.text()).isEmpty();
    assertThat(output.truncated()).isTrue();
    assertThat(output.totalBytes()).isEqualTo(3);
  }
}
