package io.drctl.worker.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.drctl.activities.secrets.SecretResolver;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** Bearer tokens and body signatures, and that the secrets never print. */
class RequestAuthenticationTest {
  private static final SecretResolver SECRETS =
      new SecretResolver(Map.of("TOKEN", "s3cret", "KEY", "k3y"));
  private static final byte[] BODY =
      "{\"labels\": {\"alertname\": \"X\"}}".getBytes(StandardCharsets.UTF_8);

  private static String sign(String key, byte[] body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return HexFormat.of().formatHex(mac.doFinal(body));
  }

  @Test
  void theTokenOrASignatureOfTheExactBodyIsAcceptedAndNothingElse() throws Exception {
    RequestAuthentication auth =
        new RequestAuthentication(SECRETS.resolve("env:TOKEN"), SECRETS.resolve("env:KEY"));
    String signature = sign("k3y", BODY);
    assertThat(auth.accepts("Bearer s3cret", Arrays.asList(null, null), BODY)).isTrue();
    assertThat(auth.accepts("bearer s3cret", Arrays.asList(null, null), BODY)).isTrue();
    assertThat(auth.accepts(null, Arrays.asList("sha256=" + signature, null), BODY)).isTrue();
    assertThat(auth.accepts(null, Arrays.asList(null, signature.toUpperCase()), BODY))
        .as("Grafana's header, any case")
        .isTrue();

    assertThat(auth.accepts("Bearer s3cre", Arrays.asList(null, null), BODY)).isFalse();
    assertThat(auth.accepts("Basic s3cret", Arrays.asList(null, null), BODY)).isFalse();
    assertThat(auth.accepts(null, Arrays.asList("sha256=" + sign("other", BODY), null), BODY))
        .isFalse();
    assertThat(
            auth.accepts(
                null,
                Arrays.asList("sha256=" + signature, null),
                "{}".getBytes(StandardCharsets.UTF_8)))
        .isFalse();
    assertThat(auth.accepts(null, Arrays.asList(null, null), BODY)).isFalse();
  }

  @Test
  void aTokenOnlyReceiverIgnoresSignaturesAndNothingPrintsTheSecrets() throws Exception {
    RequestAuthentication auth = new RequestAuthentication(SECRETS.resolve("env:TOKEN"), null);
    assertThat(auth.accepts(null, Arrays.asList("sha256=" + sign("k3y", BODY), null), BODY))
        .isFalse();
    assertThat(auth.describe()).isEqualTo("bearer token").doesNotContain("s3cret");
    assertThat(auth.toString()).doesNotContain("s3cret");
    assertThat(RequestAuthentication.none().accepts(null, Arrays.asList(null, null), BODY))
        .isTrue();
  }
}
