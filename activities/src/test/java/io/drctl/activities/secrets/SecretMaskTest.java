package io.drctl.activities.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SecretMaskTest {
  private final SecretMask mask = SecretMask.of(List.of("abc", "abcdef", ""));

  @Test
  void masksEveryOccurrenceAndTheLongestSecretWhole() {
    assertThat(mask.mask("x abcdef y abc z abcdef")).isEqualTo("x **** y **** z ****");
  }

  @Test
  void emptySecretsAreIgnored() {
    assertThat(mask.mask("plain text")).isEqualTo("plain text");
    assertThat(SecretMask.of(List.of("")).longestSecretBytes()).isZero();
  }

  @Test
  void stripsTheEndOfASecretLeftAtTheStartOfCutText() {
    assertThat(mask.stripLeadingFragment("cdef and then")).isEqualTo(" and then");
    assertThat(mask.stripLeadingFragment("no fragment")).isEqualTo("no fragment");
  }

  @Test
  void stripsTheBeginningOfASecretAtTheEndOfTextStillBeingWritten() {
    assertThat(mask.stripTrailingFragment("token is abcd")).isEqualTo("token is ");
    assertThat(mask.stripTrailingFragment("done")).isEqualTo("done");
  }

  @Test
  void countsSecretLengthInUtf8Bytes() {
    assertThat(SecretMask.of(List.of("ééé")).longestSecretBytes()).isEqualTo(6);
  }

  @Test
  void masksTheJsonEscapedFormOfASecretToo() {
    assertThat(SecretMask.of(List.of("a\"b")).mask("{\"v\": \"a\\\"b\"} a\"b"))
        .isEqualTo("{\"v\": \"****\"} ****");
  }

  @Test
  void masksUpToACutAndASecretCrossingItWhole() {
    assertThat(mask.mask("xx abcdef yy", 5)).isEqualTo("xx ****");
    assertThat(mask.mask("xx abcdef yy", 2)).isEqualTo("xx");
  }
}
