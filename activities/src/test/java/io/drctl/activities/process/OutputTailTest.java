package io.drctl.activities.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.drctl.activities.secrets.SecretMask;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutputTailTest {
  private static final SecretMask NO_SECRETS = SecretMask.none();

  @Test
  void keepsEverythingUpToTheLimit() {
    OutputTail tail = tail(10, 0, "0123456789");

    assertThat(tail.text(NO_SECRETS)).isEqualTo(new OutputTail.Text("0123456789", false));
    assertThat(tail.totalBytes()).isEqualTo(10);
  }

  @Test
  void keepsOnlyTheLastBytesAndSaysItWasTruncated() {
    StringBuilder output = new StringBuilder();
    for (int line = 1; line <= 5000; line++) {
      output.append(line).append('\n');
    }
    OutputTail tail = tail(12, 0, output.toString());

    assertThat(tail.text(NO_SECRETS)).isEqualTo(new OutputTail.Text("8\n4999\n5000\n", true));
    assertThat(tail.totalBytes()).isEqualTo(output.length());
  }

  @Test
  void cutsOnAUtf8CharacterBoundary() {
    OutputTail tail = tail(11, 0, "é".repeat(100));

    OutputTail.Text text = tail.text(NO_SECRETS);

    assertThat(text.text()).isEqualTo("ééééé");
    assertThat(text.truncated()).isTrue();
  }

  @Test
  void aSecretCutByTheRingBufferLeavesNoFragment() {
    String secret = "s3cr3t-token";
    SecretMask mask = SecretMask.of(List.of(secret));
    // 1000 secrets in a 4096 + 12 byte ring: the ring starts 8 bytes into a secret ("oken").
    OutputTail tail = tail(4096, mask.longestSecretBytes(), secret.repeat(1000));

    OutputTail.Text text = tail.text(mask);

    assertThat(text.text()).matches("(\\*\\*\\*\\*)+").doesNotContain("oken");
    assertThat(text.truncated()).isTrue();
  }

  @Test
  void lastLineIsTheLastNonEmptyLineShortened() {
    assertThat(tail(100, 0, "one\ntwo\n\n").lastLine(NO_SECRETS)).isEqualTo("two");
    assertThat(tail(100, 0, "one\npartial").lastLine(NO_SECRETS)).isEqualTo("partial");
    assertThat(tail(100, 0, "").lastLine(NO_SECRETS)).isEmpty();
    String longLine = "x".repeat(300) + "END";
    assertThat(tail(100, 0, longLine).lastLine(NO_SECRETS))
        .hasSize(OutputTail.LAST_LINE_CHARS)
        .startsWith("…")
        .endsWith("END");
  }

  @Test
  void lastLineHidesASecretStillBeingWritten() {
    SecretMask mask = SecretMask.of(List.of("hunter2"));

    assertThat(tail(100, 7, "password: hunt").lastLine(mask)).isEqualTo("password: ");
    assertThat(tail(100, 7, "password: hunter2\n").lastLine(mask)).isEqualTo("password: ****");
  }

  @Test
  void masksSecretsAndNeverShowsTheRemainsOfOneCutAtTheFront() {
    SecretMask mask = SecretMask.of(List.of("hunter2"));

    assertThat(tail(100, 7, "password=hunter2\n").text(mask).text()).isEqualTo("password=****\n");
    assertThat(tail(10, 7, "hunter2 a hunter2 b").text(mask).text())
        .isEqualTo("* a **** b")
        .doesNotContain("nter2");
  }

  @Test
  void aZeroLimitKeepsNothingButCountsAll() {
    OutputTail tail = tail(0, 0, "abc");

    assertThat(tail.text(NO_SECRETS)).isEqualTo(new OutputTail.Text("", true));
    assertThat(tail.totalBytes()).isEqualTo(3);
  }

  @Test
  void lastLinesAreTheTailsLastLinesMasked() {
    SecretMask mask = SecretMask.of(List.of("hunter2"));

    assertThat(tail(100, 7, "one\ntwo hunter2\nthree\n").lastLines(mask, 2))
        .containsExactly("two ****", "three");
    assertThat(tail(100, 7, "").lastLines(mask, 2)).isEmpty();
  }

  private static OutputTail tail(int limit, int slack, String text) {
    OutputTail tail = new OutputTail(limit, slack);
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    // Odd chunk sizes exercise the ring's wrap-around.
    for (int offset = 0; offset < bytes.length; offset += 777) {
      tail.append(bytes, offset, Math.min(777, bytes.length - offset));
    }
    return tail;
  }
}
