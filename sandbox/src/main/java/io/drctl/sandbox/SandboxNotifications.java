package io.drctl.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What the sandbox's notification sinks received (Slack and PagerDuty stand-ins, {@code sink.py}).
 * Both keep their messages on one volume and either serves all of them, oldest first; this asks the
 * Slack sink, then the PagerDuty sink when the first does not answer.
 */
public final class SandboxNotifications {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One request a sink received.
   *
   * @param id sorts as the messages arrived; pass the last one seen to {@link #after}
   * @param status what the sink answered: 2xx accepted, 401 a wrong token or routing key
   * @param body the request's JSON body, without PagerDuty's routing key
   */
  public record Notification(
      String id, String service, String receivedAt, int status, JsonNode body) {
    /** One line for a person: what was said, to which service, and whether it was accepted. */
    public String describe() {
      String what =
          service.equals("pagerduty") ? pagerDuty() : body.path("text").asText(body.toString());
      String outcome = status >= 200 && status < 300 ? "" : " [refused: " + status + "]";
      return receivedAt + "  " + String.format("%-9s", service) + " " + what + outcome;
    }

    private String pagerDuty() {
      String action = body.path("event_action").asText("?");
      String summary = body.path("payload").path("summary").asText("");
      String dedup = body.path("dedup_key").asText("");
      return action
          + (summary.isEmpty() ? "" : ": " + summary)
          + (dedup.isEmpty() ? "" : " (dedup key " + dedup + ")");
    }
  }

  private final SandboxLayout layout;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

  public SandboxNotifications(SandboxLayout layout) {
    this.layout = layout;
  }

  /**
   * Every message newer than {@code afterId} (all of them for null), oldest first.
   *
   * @throws SandboxException when neither sink answers, naming both and how to start them
   */
  public List<Notification> after(String afterId) {
    List<String> failures = new ArrayList<>();
    for (Role sink : List.of(Role.SLACK, Role.PAGERDUTY)) {
      String url =
          layout.sinkUrl(sink)
              + "/messages"
              + (afterId == null
                  ? ""
                  : "?after=" + URLEncoder.encode(afterId, StandardCharsets.UTF_8));
      try {
        HttpResponse<String> response =
            http.send(
                HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
          failures.add(url + " answered " + response.statusCode());
          continue;
        }
        return parse(JSON.readTree(response.body()).path("messages"));
      } catch (IOException e) {
        failures.add(
            url + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SandboxException("interrupted while reading " + url, e);
      }
    }
    throw new SandboxException(
        "no notification sink of sandbox '"
            + layout.name()
            + "' answers ("
            + String.join("; ", failures)
            + "); start them with drctl sandbox up"
            + (layout.isDefault() ? "" : " --name " + layout.name()));
  }

  private static List<Notification> parse(JsonNode messages) {
    List<Notification> found = new ArrayList<>();
    for (JsonNode message : messages) {
      found.add(
          new Notification(
              message.path("id").asText(),
              message.path("service").asText(),
              message.path("receivedAt").asText(),
              message.path("status").asInt(),
              message.path("body")));
    }
    return found;
  }
}
