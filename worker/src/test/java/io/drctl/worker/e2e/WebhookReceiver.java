package io.drctl.worker.e2e;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A local stand-in for PagerDuty's Events API and a Slack webhook: accepts every POST (202 with
 * PagerDuty's answer, 200 for Slack) and records path, the auth header and body, so a test can
 * see who was paged and told what.
 */
final class WebhookReceiver implements AutoCloseable {
  static final String PAGERDUTY_PATH = "/pagerduty/v2/enqueue";
  static final String SLACK_PATH = "/slack";

  /** One request as received. */
  record Delivery(String path, String routingKeyOrToken, String body) {}

  private final HttpServer server;
  private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();

  private WebhookReceiver(HttpServer server) {
    this.server = server;
  }

  static WebhookReceiver start() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    WebhookReceiver receiver = new WebhookReceiver(server);
    server.createContext("/", exchange -> {
      String body;
      try (InputStream in = exchange.getRequestBody()) {
        body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      String path = exchange.getRequestURI().getPath();
      String auth = exchange.getRequestHeaders().getFirst("Authorization");
      receiver.deliveries.add(new Delivery(path, auth, body));
      boolean pagerDuty = path.equals(PAGERDUTY_PATH);
      byte[] answer = (pagerDuty ? "{\"status\":\"success\",\"message\":\"Event processed\",\"dedup_key\":\"e2e\"}" : "ok")
          .getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", pagerDuty ? "application/json" : "text/plain");
      exchange.sendResponseHeaders(pagerDuty ? 202 : 200, answer.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(answer);
      }
    });
    server.start();
    return receiver;
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  List<Delivery> to(String path) {
    return deliveries.stream().filter(delivery -> delivery.path().equals(path)).toList();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
