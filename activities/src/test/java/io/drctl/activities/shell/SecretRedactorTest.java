package io.drctl.activities.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SecretRedactorTest {
  private final SecretRedactor redactor = new SecretRedactor(List.of("abc", "abcdef", ""));

  @Test
  void masksEveryOccurrenceAndTheLongestSecretWhole() {
    assertThat(redactor.redact("x abcdef y abc z abcdef")).isEqualTo("x **** y **** z ****");
  }

  @Test
  void emptySecretsAreIgnored() {
    assertThat(redactor.redact("plain text")).isEqualTo("plain text");
    assertThat(new SecretRedactor(List.of("")).longestSecretBytes()).isZero();
  }

  @Test
  void stripsTheEndOfASecretLeftAtTheStartOfCutText() {
    assertThat(redactor.stripLeadingFragment("cdef and then")).isEqualTo(" and then");
    assertThat(redactor.stripLeadingFragment("no fragment")).isEqualTo("no fragment");
  }

  @Test
  void stripsTheBeginningOfASecretAtTheEndOfTextStillBeingWritten() {
    assertThat(redactor.stripTrailingFragment("token is abcd")).isEqualTo("token is ");
    assertThat(redactor.stripTrailingFragment("done")).isEqualTo("done");
  }

  @Test
  void countsSecretLengthInUtf8Bytes() {
    assertThat(new SecretRedactor(List.of("ééé")).longestSecretBytes()).isEqualTo(6);
  }
}
