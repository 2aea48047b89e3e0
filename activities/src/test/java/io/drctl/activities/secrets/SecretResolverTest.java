package io.drctl.activities.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.drctl.activities.ActionFailures;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretResolverTest {
  private final SecretResolver resolver =
      new SecretResolver(Map.of("DRCTL_DB_PASSWORD", "correct horse battery staple"));

  @TempDir Path directory;

  @Test
  void envReferenceResolvesFromTheInjectedEnvironment() {
    assertThat(resolver.resolve("env:DRCTL_DB_PASSWORD").reveal())
        .isEqualTo("correct horse battery staple");
  }

  @Test
  void fileReferenceResolvesToTheContentsWithoutTheTrailingNewline() throws Exception {
    Path unix = Files.writeString(directory.resolve("unix"), "s3cret\n");
    Path windows = Files.writeString(directory.resolve("windows"), "s3cret\r\n");
    Path bare = Files.writeString(directory.resolve("bare"), "s3cret");

    assertThat(resolver.resolve("file:" + unix).reveal()).isEqualTo("s3cret");
    assertThat(resolver.resolve("file:" + windows).reveal()).isEqualTo("s3cret");
    assertThat(resolver.resolve("file:" + bare).reveal()).isEqualTo("s3cret");
  }

  @Test
  void fileReferenceKeepsInnerNewlinesAndStripsOnlyOneTrailingNewline() throws Exception {
    Path pem =
        Files.writeString(directory.resolve("key.pem"), "-----BEGIN-----\nabc\n-----END-----\n\n");

    assertThat(resolver.resolve("file:" + pem).reveal())
        .isEqualTo("-----BEGIN-----\nabc\n-----END-----\n");
  }

  @Test
  void missingEnvironmentVariableFailsNonRetryablyNamingTheReference() {
    ApplicationFailure failure =
        catchThrowableOfType(ApplicationFailure.class, () -> resolver.resolve("env:DRCTL_MISSING"));

    assertThat(failure.getType()).isEqualTo(ActionFailures.SECRET_UNAVAILABLE);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage()).contains("env:DRCTL_MISSING");
  }

  @Test
  void unreadableFileFailsNonRetryablyNamingTheReference() {
    String reference = "file:" + directory.resolve("absent");

    ApplicationFailure failure =
        catchThrowableOfType(ApplicationFailure.class, () -> resolver.resolve(reference));

    assertThat(failure.getType()).isEqualTo(ActionFailures.SECRET_UNAVAILABLE);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage()).contains(reference);
  }

  @Test
  void fileThatIsNotUtf8FailsWithoutQuotingItsContents() throws Exception {
    Path binary = Files.write(directory.resolve("binary"), new byte[] {'p', 'w', (byte) 0xff});

    ApplicationFailure failure =
        catchThrowableOfType(ApplicationFailure.class, () -> resolver.resolve("file:" + binary));

    assertThat(failure.getType()).isEqualTo(ActionFailures.SECRET_UNAVAILABLE);
    assertThat(failure.getOriginalMessage()).doesNotContain("pw");
  }

  @Test
  void unsupportedKindIsRejectedNamingTheKindButNotTheRest() {
    assertThatThrownBy(() -> resolver.resolve("vault:secret/data/db#password"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'vault'")
        .hasMessageNotContaining("secret/data/db");
  }

  @Test
  void textThatIsNotAReferenceIsRejectedWithoutEchoingIt() {
    assertThatThrownBy(() -> resolver.resolve("hunter2"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("hunter2");
    assertThatThrownBy(() -> resolver.resolve("p@ss w0rd:with colon"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("p@ss")
        .hasMessageNotContaining("colon");
  }

  @Test
  void malformedReferencesAreRejected() {
    assertThatThrownBy(() -> resolver.resolve("env:")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> resolver.resolve("file:relative/path"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("absolute");
  }

  @Test
  void onlyEnvAndFilePrefixesAreReferences() {
    assertThat(SecretResolver.isReference("env:X")).isTrue();
    assertThat(SecretResolver.isReference("file:/run/secrets/x")).isTrue();
    assertThat(SecretResolver.isReference("https://example.org")).isFalse();
    assertThat(SecretResolver.isReference("plain")).isFalse();
    assertThat(SecretResolver.isReference(null)).isFalse();
  }

  @Test
  void secretPrintsAsAMaskEverywhere() {
    Secret secret = resolver.resolve("env:DRCTL_DB_PASSWORD");

    assertThat(secret.toString()).isEqualTo("****");
    assertThat(String.valueOf(secret)).isEqualTo("****");
    assertThat(List.of(secret).toString()).doesNotContain("horse");
    assertThat("password=" + secret).isEqualTo("password=****");
  }

  @Test
  void resolverIsolatesItselfFromLaterChangesToTheGivenEnvironment() {
    Map<String, String> environment = new java.util.HashMap<>(Map.of("A", "1"));
    SecretResolver isolated = new SecretResolver(environment);
    environment.put("A", "2");

    assertThat(isolated.resolve("env:A").reveal()).isEqualTo("1");
  }
}
