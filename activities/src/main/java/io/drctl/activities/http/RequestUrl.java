package io.drctl.activities.http;

import io.drctl.activities.ActionFailures;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Joins a step's {@code path} to its target's base URL. The path is appended to the base URL's path
 * ({@code http://h/api} and {@code /v1/x} give {@code http://h/api/v1/x}), so a step can never
 * leave the target: a path with a scheme, a host ({@code //h}), a {@code .} or {@code ..} segment
 * (also percent-encoded), a backslash, a fragment, or whitespace is invalid input. A path may carry
 * a query, added to the base URL's own. {@code /} means the base URL itself.
 */
final class RequestUrl {
  private static final Pattern DOT_SEGMENT =
      Pattern.compile("(^|/)(\\.|%2e){1,2}(/|$)", Pattern.CASE_INSENSITIVE);
  private static final Pattern FORBIDDEN = Pattern.compile("[\\s\\\\#\\p{Cntrl}]");

  private RequestUrl() {}

  static URI resolve(URI base, String path) {
    if (path.isEmpty() || path.startsWith("//") || path.contains("://")) {
      throw invalid(path, "it must be a path such as /api/health, not a URL");
    }
    if (FORBIDDEN.matcher(path).find()) {
      throw invalid(path, "it contains whitespace, a backslash, a control character or a #");
    }
    int question = path.indexOf('?');
    String rawPath = question < 0 ? path : path.substring(0, question);
    String rawQuery = question < 0 ? null : path.substring(question + 1);
    if (DOT_SEGMENT.matcher(rawPath).find()) {
      throw invalid(path, "it contains a . or .. segment");
    }
    String basePath = base.getRawPath() == null ? "" : base.getRawPath();
    String joined;
    if (rawPath.isEmpty() || rawPath.equals("/")) {
      joined = basePath.isEmpty() ? "/" : basePath;
    } else {
      joined = stripTrailingSlashes(basePath) + "/" + stripLeadingSlashes(rawPath);
    }
    String query = join(base.getRawQuery(), rawQuery);
    String text =
        base.getScheme().toLowerCase(Locale.ROOT)
            + "://"
            + base.getRawAuthority()
            + joined
            + (query == null ? "" : "?" + query);
    try {
      return new URI(text);
    } catch (URISyntaxException e) {
      throw invalid(path, e.getReason());
    }
  }

  /** Method, scheme, host, port and path for messages: no query, which may hold a token. */
  static String describe(String method, URI uri) {
    return method + " " + uri.getScheme() + "://" + uri.getRawAuthority() + uri.getRawPath();
  }

  private static String join(String first, String second) {
    if (first == null || first.isEmpty()) {
      return second == null || second.isEmpty() ? null : second;
    }
    return second == null || second.isEmpty() ? first : first + "&" + second;
  }

  private static String stripTrailingSlashes(String text) {
    int end = text.length();
    while (end > 0 && text.charAt(end - 1) == '/') {
      end--;
    }
    return text.substring(0, end);
  }

  private static String stripLeadingSlashes(String text) {
    int start = 0;
    while (start < text.length() && text.charAt(start) == '/') {
      start++;
    }
    return text.substring(start);
  }

  private static RuntimeException invalid(String path, String reason) {
    return ActionFailures.invalidInput("path '" + path + "' is not usable: " + reason);
  }
}
