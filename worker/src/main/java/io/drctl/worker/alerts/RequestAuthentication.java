package io.drctl.worker.alerts;

import io.drctl.activities.secrets.Secret;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Who may post alerts: a sender with the bearer token ({@code Authorization: Bearer TOKEN}, as
 * Alertmanager's {@code http_config.authorization} sends it), or one that signs the body with the
 * shared key (HMAC-SHA256 of the raw body in hex, optionally prefixed {@code sha256=}, in {@code
 * X-Drctl-Signature} or Grafana's {@code X-Grafana-Alerting-Signature}). With both configured,
 * either is enough. Comparisons take constant time. Immutable and thread-safe; the secrets print as
 * {@code ****}.
 */
public final class RequestAuthentication {
  /** The signature headers read, in order. */
  public static final List<String> SIGNATURE_HEADERS =
      List.of("X-Drctl-Signature", "X-Grafana-Alerting-Signature");

  private final Secret token;
  private final Secret signingKey;

  /** Either may be null, not both: an open receiver is {@link #none()}. */
  public RequestAuthentication(Secret token, Secret signingKey) {
    if (token == null && signingKey == null) {
      throw new IllegalArgumentException(
          "a token or a signing key is needed; use none() for an open receiver");
    }
    this.token = token;
    this.signingKey = signingKey;
  }

  private RequestAuthentication() {
    this.token = null;
    this.signingKey = null;
  }

  /** Accepts every request: only for a receiver that nothing untrusted can reach. */
  public static RequestAuthentication none() {
    return new RequestAuthentication();
  }

  /**
   * Whether the request may post.
   *
   * @param authorization the Authorization header, or null
   * @param signatures the values of {@link #SIGNATURE_HEADERS}, null where absent
   */
  public boolean accepts(String authorization, List<String> signatures, byte[] body) {
    if (token == null && signingKey == null) {
      return true;
    }
    if (token != null
        && authorization != null
        && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
        && equal(
            authorization.substring(7).strip().getBytes(StandardCharsets.UTF_8),
            token.reveal().getBytes(StandardCharsets.UTF_8))) {
      return true;
    }
    if (signingKey != null) {
      byte[] expected = HexFormat.of().formatHex(sign(body)).getBytes(StandardCharsets.US_ASCII);
      for (String signature : signatures) {
        if (signature != null) {
          String hex = signature.strip();
          hex = hex.regionMatches(true, 0, "sha256=", 0, 7) ? hex.substring(7) : hex;
          if (equal(
              hex.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII),
              expected)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** What a sender must send, for the 401's WWW-Authenticate and the banner. */
  public String describe() {
    if (token == null && signingKey == null) {
      return "none (--receiver-unauthenticated)";
    }
    return (token == null ? "" : "bearer token")
        + (token != null && signingKey != null ? " or " : "")
        + (signingKey == null ? "" : "HMAC-SHA256 signature in " + SIGNATURE_HEADERS.get(0));
  }

  private byte[] sign(byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(
          new SecretKeySpec(signingKey.reveal().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return mac.doFinal(body);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is unavailable in this JVM", e);
    }
  }

  private static boolean equal(byte[] a, byte[] b) {
    return MessageDigest.isEqual(a, b);
  }
}
