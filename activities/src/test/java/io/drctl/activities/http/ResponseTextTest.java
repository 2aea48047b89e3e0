package io.drctl.activities.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.drctl.activities.secrets.SecretMask;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResponseTextTest {
  private static final String SECRET = "tok-123456";
  private static final SecretMask MASK = SecretMask.of(List.of(SECRET, "a\"b"));

  private static ResponseText of(String body, int limit) {
    return of(body, limit, StandardCharsets.UTF_8);
  }

  private static ResponseText of(String body, int limit, Charset charset) {
    byte[] bytes = body.getBytes(charset);
    int capture = HttpCaller.captureBytes(limit, List.of(SECRET, "a\"b"));
    byte[] captured = java.util.Arrays.copyOf(bytes, Math.min(bytes.length, capture));
    return ResponseText.of(captured, bytes.length, charset, limit, MASK);
  }

  @Test
  void shortBodyIsKeptWholeWithSecretsMasked() {
    ResponseText text = of("echo " + SECRET + " and " + SECRET, 100);

    assertThat(text.text()).isEqualTo("echo **** and ****");
    assertThat(text.truncated()).isFalse();
  }

  @Test
  void jsonEscapedFormOfASecretIsMaskedToo() {
    assertThat(of("{\"v\": \"a\\\"b\"}", 100).text()).isEqualTo("{\"v\": \"****\"}");
  }

  @Test
  void longBodyKeepsItsFirstBytesAndSaysItWasTruncated() {
    ResponseText text = of("0123456789abcdef", 10);

    assertThat(text.text()).isEqualTo("0123456789");
    assertThat(text.truncated()).isTrue();
  }

  @Test
  void secretCrossingTheCutIsMaskedWholeAndNothingAfterItIsKept() {
    assertThat(of("0123456" + SECRET + "tail", 10).text()).isEqualTo("0123456****");
  }

  @Test
  void cutFallsOnACharacterBoundaryInUtf8AndOtherCharsets() {
    assertThat(of("ééé", 3).text()).isEqualTo("é");
    assertThat(of("ééé", 3, StandardCharsets.ISO_8859_1).text()).isEqualTo("ééé");
  }

  @Test
  void excerptIsShortAndSaysWhenTheBodyIsEmpty() {
    assertThat(of("  ", 10).excerpt()).isEqualTo("the body was empty");
    assertThat(of("x".repeat(400), 1000).excerpt()).isEqualTo("body: " + "x".repeat(300) + "…");
  }
}
