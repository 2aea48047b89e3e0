package io.drctl.activities.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A real HTTP server on 127.0.0.1 and a free port that records every request and answers by path
 * (longest matching prefix), for the http and notify activity tests. No mocks: the activities talk
 * to it over TCP with the JDK's client.
 */
public final class TestHttpServer implements AutoCloseable {

  /** One request as the server saw it; header names in lower case. */
  public record Recorded(
      String method, String uri, Map<String, List<String>> headers, String body) {
    public String header(String name) {
      List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
      return values == null ? null : String.join(",", values);
    }
  }

  /** What to answer; {@code delay} is slept before the status line goes out. */
  public record Reply(int status, String contentType, String body, Duration delay) {
    public static Reply json(int status, String body) {
      return new Reply(status, "application/json", body, Duration.ZERO);
    }

    public static Reply text(int status, String body) {
      return new Reply(status, "text/plain; charset=utf-8", body, Duration.ZERO);
    }

    public Reply after(Duration wait) {
      return new Reply(status, contentType, body, wait);
    }
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final List<Recorded> requests = new CopyOnWriteArrayList<>();
  private final Map<String, Function<Recorded, Reply>> routes = new ConcurrentHashMap<>();

  public TestHttpServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /** Answers requests whose path starts with {@code prefix}. */
  public TestHttpServer on(String prefix, Function<Recorded, Reply> reply) {
    routes.put(prefix, reply);
    return this;
  }

  public TestHttpServer on(String prefix, Reply reply) {
    return on(prefix, request -> reply);
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public List<Recorded> requests() {
    return List.copyOf(requests);
  }

  public Recorded onlyRequest() {
    if (requests.size() != 1) {
      throw new AssertionError("expected one request, got " + requests);
    }
    return requests.get(0);
  }

  /** {@code $targets} with one http target at this server's url plus {@code path}. */
  public Map<String, JsonNode> target(String name, String path, Map<String, String> headers) {
    return targets(name, url() + path, headers);
  }

  /** {@code $targets} with one http target, as the workflow builds it from the plan. */
  public static Map<String, JsonNode> targets(
      String name, String url, Map<String, String> headers) {
    ObjectNode target = JsonNodeFactory.instance.objectNode().put("kind", "http").put("url", url);
    if (!headers.isEmpty()) {
      ObjectNode headerNode = target.putObject("headers");
      headers.forEach(headerNode::put);
    }
    return Map.of(name, target);
  }

  /** A port nothing listens on (bound and released), for connection-refused tests. */
  public static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Map<String, List<String>> headers = new TreeMap<>();
      exchange
          .getRequestHeaders()
          .forEach(
              (name, values) ->
                  headers.put(name.toLowerCase(Locale.ROOT), new ArrayList<>(values)));
      String body;
      try (InputStream in = exchange.getRequestBody()) {
        body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      Recorded request =
          new Recorded(
              exchange.getRequestMethod(), exchange.getRequestURI().toString(), headers, body);
      requests.add(request);
      Reply reply = route(exchange.getRequestURI().getPath()).apply(request);
      if (!reply.delay().isZero()) {
        try {
          Thread.sleep(reply.delay().toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", reply.contentType());
      boolean noBody = bytes.length == 0 || exchange.getRequestMethod().equals("HEAD");
      exchange.sendResponseHeaders(reply.status(), noBody ? -1 : bytes.length);
      if (!noBody) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(bytes);
        }
      }
    }
  }

  private Function<Recorded, Reply> route(String path) {
    return routes.entrySet().stream()
        .filter(route -> path.startsWith(route.getKey()))
        .max(Map.Entry.comparingByKey((a, b) -> Integer.compare(a.length(), b.length())))
        .map(Map.Entry::getValue)
        .orElse(request -> Reply.text(404, "no route for " + path));
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
