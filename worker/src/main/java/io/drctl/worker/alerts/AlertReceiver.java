package io.drctl.worker.alerts;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.drctl.alerts.Alert;
import io.drctl.plan.PlanJson;
import io.drctl.plan.Timestamps;
import io.drctl.worker.temporal.RpcErrors;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alert receiver: an HTTP endpoint per format ({@code POST /alerts/alertmanager}, {@code
 * /alerts/grafana}, {@code /alerts/generic}; {@code GET /healthz}) that hands each alert to the
 * {@link AlertSink} (the {@link AlertDispatcher}).
 *
 * <p>Answers: 200 every alert delivered; 202 accepted, but some alert started nothing (no route,
 * cooldown, a resolved alert with no incident: each logged with its labels); 400 malformed, with
 * the reason; 401 bad or missing token or signature (nothing read further); 413 body over the
 * limit; 503 Temporal unreachable, so that Alertmanager and Grafana retry. After a 200 or 202 the
 * delivered alerts are in Temporal. Request headers and bodies are never logged, so no token is.
 *
 * <p>Why the JDK's {@code com.sun.net.httpserver} and not a web framework: an alert webhook is a
 * small JSON POST, at a few per second even in a storm (Alertmanager groups and batches); each
 * costs two blocking gRPC calls, so a thread per request in flight is the natural model. The server
 * runs on a bounded pool ({@code threads}, a queue of 4 per thread); when both are full the
 * accepting thread runs the request itself, which stops accepting and leaves further senders in the
 * kernel's accept queue: back-pressure, nothing dropped. It needs no routing, TLS (terminate it at
 * a proxy) or streaming; what it lacks a framework would add only as weight in the shaded jar.
 * {@link io.drctl.worker.temporal.MetricsEndpoint} uses the same server.
 */
public final class AlertReceiver implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AlertReceiver.class);
  private static final int BACKLOG = 1024;

  private final HttpServer server;
  private final ThreadPoolExecutor executor;
  private final ReceiverSettings settings;
  private final AlertSink sink;
  private final Clock clock;

  private AlertReceiver(
      HttpServer server,
      ThreadPoolExecutor executor,
      ReceiverSettings settings,
      AlertSink sink,
      Clock clock) {
    this.server = server;
    this.executor = executor;
    this.settings = settings;
    this.sink = sink;
    this.clock = clock;
  }

  /**
   * Binds and serves.
   *
   * @throws IllegalArgumentException when the port is taken or cannot be bound, naming it
   */
  public static AlertReceiver start(ReceiverSettings settings, AlertSink sink, Clock clock) {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(settings.host(), settings.port()), BACKLOG);
    } catch (BindException e) {
      throw new IllegalArgumentException(
          "--receiver-port "
              + settings.port()
              + ": cannot listen on "
              + settings.host()
              + ":"
              + settings.port()
              + " ("
              + e.getMessage()
              + ")",
          e);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "--receiver-port " + settings.port() + ": cannot serve: " + e.getMessage(), e);
    }
    AtomicInteger threadNumber = new AtomicInteger();
    ThreadPoolExecutor executor =
        new ThreadPoolExecutor(
            settings.threads(),
            settings.threads(),
            60,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(settings.threads() * 4),
            runnable -> {
              Thread thread =
                  new Thread(runnable, "drctl-receiver-" + threadNumber.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            },
            new ThreadPoolExecutor.CallerRunsPolicy());
    AlertReceiver receiver = new AlertReceiver(server, executor, settings, sink, clock);
    for (AlertFormat format : AlertFormat.values()) {
      server.createContext(format.path(), exchange -> receiver.handle(exchange, format));
    }
    server.createContext("/healthz", exchange -> respond(exchange, 200, "{\"status\":\"ok\"}"));
    server.setExecutor(executor);
    server.start();
    return receiver;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** Stops accepting, lets requests in flight finish for up to 5 s. */
  @Override
  public void close() {
    server.stop(1);
    executor.shutdown();
    try {
      if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  private void handle(HttpExchange exchange, AlertFormat format) throws IOException {
    // Not try-with-resources: its catch would run after the exchange closed, and the 500 never
    // leave.
    try {
      String from = exchange.getRemoteAddress().getAddress().getHostAddress();
      if (!"POST".equals(exchange.getRequestMethod())) {
        exchange.getResponseHeaders().set("Allow", "POST");
        respond(exchange, 405, error("POST alerts to " + format.path()));
        return;
      }
      byte[] body = readBounded(exchange);
      if (body == null) {
        log.warn(
            "refused a post to {} from {}: body over {} bytes (413)",
            format.path(),
            from,
            settings.maxBodyBytes());
        respond(exchange, 413, error("the body is over " + settings.maxBodyBytes() + " bytes"));
        return;
      }
      var headers = exchange.getRequestHeaders();
      List<String> signatures =
          RequestAuthentication.SIGNATURE_HEADERS.stream().map(headers::getFirst).toList();
      if (!settings.authentication().accepts(headers.getFirst("Authorization"), signatures, body)) {
        log.warn(
            "refused a post to {} from {}: no valid token or signature (401)", format.path(), from);
        exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"drctl alerts\"");
        respond(
            exchange, 401, error("a valid " + settings.authentication().describe() + " is needed"));
        return;
      }
      List<Alert> alerts;
      try {
        alerts = AlertPayloads.read(format, body, Timestamps.ofMillis(clock.millis()));
      } catch (MalformedAlertException e) {
        log.warn("refused a post to {} from {}: {} (400)", format.path(), from, e.getMessage());
        respond(exchange, 400, error(e.getMessage()));
        return;
      }
      deliver(exchange, format, from, alerts);
    } catch (RuntimeException e) {
      log.error("could not handle a post to {}: {}", format.path(), e.toString(), e);
      respond(exchange, 500, error("internal error: " + RpcErrors.describe(e)));
    } finally {
      exchange.close();
    }
  }

  private void deliver(HttpExchange exchange, AlertFormat format, String from, List<Alert> alerts)
      throws IOException {
    List<Delivery> deliveries = new ArrayList<>();
    for (Alert alert : alerts) {
      Delivery delivery;
      try {
        delivery = sink.deliver(alert);
      } catch (TemporalUnavailableException e) {
        log.warn(
            "could not hand a post to {} from {} to Temporal ({} of {} alerts delivered): {} (503)",
            format.path(),
            from,
            deliveries.size(),
            alerts.size(),
            e.getMessage());
        exchange.getResponseHeaders().set("Retry-After", "10");
        respond(exchange, 503, error(e.getMessage() + "; retry later"));
        return;
      }
      deliveries.add(delivery);
      if (delivery.outcome() == Delivery.Outcome.delivered) {
        log.info(
            "alert {} → incident {}{}",
            alert.describe(),
            delivery.incident(),
            delivery.runId() == null ? "" : " (run " + delivery.runId() + ")");
      } else {
        log.warn(
            "alert {} started nothing: {}{}",
            alert.describe(),
            delivery.outcome(),
            delivery.detail() == null ? "" : " — " + delivery.detail());
      }
    }
    boolean all = deliveries.stream().allMatch(d -> d.outcome() == Delivery.Outcome.delivered);
    ObjectNode answer = PlanJson.mapper().createObjectNode();
    ArrayNode list = answer.putArray("alerts");
    deliveries.forEach(d -> list.add(PlanJson.mapper().valueToTree(d)));
    respond(exchange, all ? 200 : 202, answer.toString());
  }

  /** The body, or null when it is longer than the limit. */
  private byte[] readBounded(HttpExchange exchange) throws IOException {
    String declared = exchange.getRequestHeaders().getFirst("Content-Length");
    if (declared != null
        && declared.matches("[0-9]{1,18}")
        && Long.parseLong(declared) > settings.maxBodyBytes()) {
      return null;
    }
    try (InputStream in = exchange.getRequestBody()) {
      byte[] body = in.readNBytes(settings.maxBodyBytes() + 1);
      return body.length > settings.maxBodyBytes() ? null : body;
    }
  }

  private static String error(String message) {
    return PlanJson.mapper().createObjectNode().put("error", message).toString();
  }

  private static void respond(HttpExchange exchange, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
