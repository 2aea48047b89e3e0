package io.drctl.activities.http;

import io.drctl.activities.ActionFailures;
import io.drctl.activities.secrets.SecretResolver;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The headers of one request with secret references resolved, and the secret values among them so
 * that responses can be masked. Names compare case-insensitively: a later header replaces an
 * earlier one of the same name. Immutable; {@link #toString()} shows names only.
 */
public final class RequestHeaders {
  private final Map<String, Header> headers;
  private final List<String> secretValues;

  private record Header(String name, String value) {
    @Override
    public String toString() {
      return name + ": ****";
    }
  }

  private RequestHeaders(Map<String, Header> headers, List<String> secretValues) {
    this.headers = Collections.unmodifiableMap(headers);
    this.secretValues = List.copyOf(secretValues);
  }

  /**
   * The target's headers, then the step's on top of them; values of the form {@code env:NAME} or
   * {@code file:/path} are resolved now.
   *
   * @throws io.temporal.failure.ApplicationFailure {@link ActionFailures#INVALID_INPUT} for an
   *     empty name, a missing value or a malformed reference, {@link
   *     ActionFailures#SECRET_UNAVAILABLE} for a reference this worker cannot resolve (both
   *     non-retryable; messages name the header and the reference, never a value)
   */
  public static RequestHeaders resolve(
      Map<String, String> targetHeaders, Map<String, String> stepHeaders, SecretResolver secrets) {
    Map<String, Header> headers = new LinkedHashMap<>();
    List<String> secretValues = new ArrayList<>();
    for (Map<String, String> layer : List.of(targetHeaders, stepHeaders)) {
      layer.forEach(
          (name, value) -> {
            if (name == null || name.isBlank()) {
              throw ActionFailures.invalidInput("a header has an empty name");
            }
            if (value == null) {
              throw ActionFailures.invalidInput("header " + name + " has no value");
            }
            String resolved = resolveValue(name, value, secrets);
            if (!resolved.equals(value)) {
              secretValues.add(resolved);
            }
            headers.put(key(name), new Header(name, resolved));
          });
    }
    return new RequestHeaders(headers, secretValues);
  }

  /** A header value as sent: the secret's value for a reference, the text itself otherwise. */
  public static String resolveValue(String header, String value, SecretResolver secrets) {
    if (!SecretResolver.isReference(value)) {
      return value;
    }
    try {
      return secrets.resolve(value).reveal();
    } catch (IllegalArgumentException e) {
      throw ActionFailures.invalidInput("header " + header + ": " + e.getMessage());
    }
  }

  /** These headers with {@code name} set to a literal (not secret) value. */
  public RequestHeaders with(String name, String value) {
    Map<String, Header> copy = new LinkedHashMap<>(headers);
    copy.put(key(name), new Header(name, value));
    return new RequestHeaders(copy, secretValues);
  }

  /** Whether a header of this name is present, in any case. */
  public boolean contains(String name) {
    return headers.containsKey(key(name));
  }

  /** Name and value of every header, in the order first set; values may be secrets. */
  Map<String, String> values() {
    Map<String, String> values = new LinkedHashMap<>();
    headers.values().forEach(header -> values.put(header.name(), header.value()));
    return values;
  }

  /** The resolved secret values, for masking; never log or return them. */
  public List<String> secretValues() {
    return secretValues;
  }

  private static String key(String name) {
    return name.toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return "RequestHeaders" + headers.values().stream().map(Header::name).toList();
  }
}
