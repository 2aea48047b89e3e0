package io.drctl.activities.http;

import java.time.Duration;

/**
 * Worker-side settings of the HTTP client shared by the {@code http} and {@code notify} backends,
 * validated once at construction.
 *
 * @param connectTimeout longest wait for a TCP (and TLS) connection; the request timeout still
 *     bounds the whole exchange
 * @param maxCheckBodyBytes bytes of a response body that {@code http.check} keeps to test {@code
 *     jsonPath} and {@code bodyContains}; the rest is counted, not kept
 * @param heartbeatInterval how often a waiting request heartbeats, which is how it learns that the
 *     activity was cancelled (the SDK throttles what reaches the server)
 */
public record HttpOptions(
    Duration connectTimeout, int maxCheckBodyBytes, Duration heartbeatInterval) {

  public HttpOptions {
    requirePositive("connectTimeout", connectTimeout);
    requirePositive("heartbeatInterval", heartbeatInterval);
    if (maxCheckBodyBytes <= 0) {
      throw new IllegalArgumentException(
          "HttpOptions.maxCheckBodyBytes must be positive, was " + maxCheckBodyBytes);
    }
  }

  /** Connect within 10 s, keep 1 MiB of a checked body, heartbeat every second. */
  public static HttpOptions defaults() {
    return new HttpOptions(Duration.ofSeconds(10), 1 << 20, Duration.ofSeconds(1));
  }

  private static void requirePositive(String field, Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(
          "HttpOptions." + field + " must be positive, was " + value);
    }
  }
}
