package io.drctl.activities.http;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * One request for {@link HttpCaller}. Immutable; {@link #toString()} shows header names only.
 *
 * @param method request method
 * @param uri full URL
 * @param headers headers, secrets resolved
 * @param body UTF-8 body, or {@code null} for none
 * @param timeout longest time from sending to the full response
 * @param captureBytes bytes of the response body to keep (the rest is counted and dropped)
 * @param insecureSkipVerify accept any TLS certificate and host name
 */
public record HttpCall(
    String method,
    URI uri,
    RequestHeaders headers,
    String body,
    Duration timeout,
    int captureBytes,
    boolean insecureSkipVerify) {

  public HttpCall {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(headers, "headers");
    Objects.requireNonNull(timeout, "timeout");
  }

  /** The call's method and URL without the query, for messages. */
  public String describe() {
    return RequestUrl.describe(method, uri);
  }
}
