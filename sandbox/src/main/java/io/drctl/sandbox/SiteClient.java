package io.drctl.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The platform as its users reach it: requests through a sandbox's front proxy ({@link
 * SandboxLayout#siteUrl()}), with or without a session token from the API's login. For tests and
 * drills that check the platform from outside. Thread-safe.
 */
public final class SiteClient {
  /** The password every active user of the dataset logs in with (the API's smoke-test login). */
  public static final String SMOKE_PASSWORD = "drctl-sandbox";

  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final SandboxLayout layout;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

  public SiteClient(SandboxLayout layout) {
    this.layout = layout;
  }

  /** GET {@code path}; {@code token} is sent as {@code Authorization: Token ...} unless null. */
  public HttpResponse<String> get(String path, String token)
      throws IOException, InterruptedException {
    return send(request(path, token).GET());
  }

  /** POST {@code body} as JSON to {@code path}; {@code token} as for {@link #get}. */
  public HttpResponse<String> post(String path, String token, String body)
      throws IOException, InterruptedException {
    return send(
        request(path, token)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  /**
   * Logs user {@code userId} in with {@link #SMOKE_PASSWORD}; the session token.
   *
   * @throws IOException when the login is refused, with the answer
   */
  public String login(long userId) throws IOException, InterruptedException {
    HttpResponse<String> answer =
        post(
            "/api/auth/login/",
            null,
            "{\"user_id\": " + userId + ", \"password\": \"" + SMOKE_PASSWORD + "\"}");
    if (answer.statusCode() != 200) {
      throw new IOException(
          "login of user " + userId + " refused: " + answer.statusCode() + " " + answer.body());
    }
    return JSON.readTree(answer.body()).path("token").asText();
  }

  /** The body of a GET of {@code path} as JSON. */
  public JsonNode getJson(String path, String token) throws IOException, InterruptedException {
    return JSON.readTree(get(path, token).body());
  }

  private HttpRequest.Builder request(String path, String token) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(layout.siteUrl() + path)).timeout(TIMEOUT);
    if (token != null) {
      request.header("Authorization", "Token " + token);
    }
    return request;
  }

  private HttpResponse<String> send(HttpRequest.Builder request)
      throws IOException, InterruptedException {
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
