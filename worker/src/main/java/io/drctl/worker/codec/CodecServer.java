package io.drctl.worker.codec;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.drctl.worker.TemporalSetupException;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import io.temporal.payload.codec.PayloadCodec;
import io.temporal.payload.codec.PayloadCodecException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Temporal's codec server protocol over HTTP, so the Web UI and the Temporal CLI ({@code
 * --codec-endpoint}) show decrypted payloads and encrypt what they send: {@code POST /encode} and
 * {@code POST /decode} take and answer a {@code Payloads} message in protobuf's JSON form, {@code
 * {"payloads": [{"metadata": {"encoding": BASE64}, "data": BASE64}]}}. The UI sends {@code
 * Content-Type: application/json}, {@code X-Namespace} and, when set to pass its access token,
 * {@code Authorization} (temporalio/ui {@code src/lib/services/data-encoder.ts}); from a page on
 * another origin, so allowed origins get CORS answers, preflight included.
 *
 * <p>Answers: 200 with the converted payloads; 400 with the reason for a body that is not such a
 * message or a payload that cannot be decoded (an unknown key id, say); 401 without the bearer
 * token when one is required; 403 for a preflight from an origin not allowed; 404, 405; 413 for a
 * body over {@link #MAX_BODY_BYTES}. One log line per request, never a payload.
 *
 * <p>The JDK's {@code com.sun.net.httpserver} is enough here: two routes, bounded bodies read
 * whole, plain HTTP on loopback or behind a TLS proxy; it adds nothing to the shaded jar, and
 * {@code MetricsEndpoint} already uses it. A small thread pool serves the UI's parallel requests.
 */
public final class CodecServer implements AutoCloseable {
  /** The largest body accepted: Temporal's own limit for one gRPC message. */
  public static final int MAX_BODY_BYTES = 4 * 1024 * 1024;

  private static final long DRAIN_LIMIT_BYTES = 16L * MAX_BODY_BYTES;
  private static final Logger LOG = LoggerFactory.getLogger(CodecServer.class);
  private static final String ALLOWED_HEADERS = "Content-Type, X-Namespace, Authorization";
  private static final byte[] NO_PAYLOADS = "{\"payloads\":[]}".getBytes(StandardCharsets.UTF_8);
  private static final int THREADS = 4;

  private final HttpServer server;
  private final ExecutorService executor;
  private final PayloadCodec codec;
  private final Options options;

  /**
   * What to serve.
   *
   * @param corsOrigins origins (scheme://host[:port]) whose pages may call the server
   * @param token the bearer token every POST must carry, or null for none
   */
  public record Options(String bind, int port, List<String> corsOrigins, String token) {
    public Options {
      corsOrigins = List.copyOf(corsOrigins);
    }

    @Override
    public String toString() {
      return "Options[bind="
          + bind
          + ", port="
          + port
          + ", corsOrigins="
          + corsOrigins
          + ", token="
          + (token == null ? "none" : "<set>")
          + "]";
    }
  }

  private CodecServer(
      HttpServer server, ExecutorService executor, PayloadCodec codec, Options options) {
    this.server = server;
    this.executor = executor;
    this.codec = codec;
    this.options = options;
  }

  /**
   * Starts serving.
   *
   * @throws TemporalSetupException if the address cannot be bound
   */
  public static CodecServer start(PayloadCodec codec, Options options) {
    HttpServer http;
    try {
      http = HttpServer.create(new InetSocketAddress(options.bind(), options.port()), 0);
    } catch (BindException e) {
      throw TemporalSetupException.invalid(
          "--port "
              + options.port()
              + " on "
              + options.bind()
              + ": cannot bind ("
              + e.getMessage()
              + ")");
    } catch (IOException e) {
      throw TemporalSetupException.invalid(
          "--bind " + options.bind() + ": cannot serve: " + e.getMessage());
    }
    ExecutorService executor =
        Executors.newFixedThreadPool(
            THREADS,
            runnable -> {
              Thread thread = new Thread(runnable, "drctl-codec-server");
              thread.setDaemon(true);
              return thread;
            });
    CodecServer server = new CodecServer(http, executor, codec, options);
    http.createContext("/", server::handle);
    http.setExecutor(executor);
    http.start();
    return server;
  }

  /** The port served, the one chosen when 0 was asked. */
  public int port() {
    return server.getAddress().getPort();
  }

  private void handle(HttpExchange exchange) throws IOException {
    long started = System.nanoTime();
    int status;
    try (exchange) {
      status = answer(exchange);
    }
    LOG.info(
        "{} {} {} namespace={} origin={} {} ms",
        exchange.getRequestMethod(),
        exchange.getRequestURI().getPath(),
        status,
        exchange.getRequestHeaders().getFirst("X-Namespace"),
        exchange.getRequestHeaders().getFirst("Origin"),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
  }

  private int answer(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    UnaryOperator<List<Payload>> conversion =
        switch (path) {
          case "/encode" -> codec::encode;
          case "/decode" -> codec::decode;
          default -> null;
        };
    String origin = exchange.getRequestHeaders().getFirst("Origin");
    boolean allowedOrigin = origin != null && options.corsOrigins().contains(origin);
    Headers headers = exchange.getResponseHeaders();
    if (allowedOrigin) {
      headers.set("Access-Control-Allow-Origin", origin);
      headers.set("Access-Control-Allow-Credentials", "true");
    }
    headers.set("Vary", "Origin");
    if (conversion == null) {
      return text(exchange, 404, "no such endpoint: POST /encode or /decode");
    }
    String method = exchange.getRequestMethod();
    if (method.equals("OPTIONS")) {
      return preflight(exchange, origin, allowedOrigin);
    }
    if (!method.equals("POST")) {
      headers.set("Allow", "POST, OPTIONS");
      return text(exchange, 405, path + " takes POST");
    }
    if (options.token() != null
        && !authorized(exchange.getRequestHeaders().getFirst("Authorization"))) {
      headers.set("WWW-Authenticate", "Bearer realm=\"drctl codec server\"");
      return text(exchange, 401, "a bearer token is required: Authorization: Bearer TOKEN");
    }
    byte[] body = readBounded(exchange);
    if (body == null) {
      return text(exchange, 413, "the body is over " + MAX_BODY_BYTES + " bytes");
    }
    Payloads.Builder request = Payloads.newBuilder();
    try {
      JsonFormat.parser().merge(new String(body, StandardCharsets.UTF_8), request);
    } catch (InvalidProtocolBufferException e) {
      return text(
          exchange,
          400,
          "the body is not {\"payloads\": [{\"metadata\": {...}, \"data\": BASE64}]}: "
              + firstLine(e.getMessage()));
    }
    List<Payload> converted;
    try {
      converted = conversion.apply(request.getPayloadsList());
    } catch (PayloadCodecException e) {
      return text(exchange, 400, e.getMessage());
    }
    byte[] answer =
        converted.isEmpty()
            ? NO_PAYLOADS
            : JsonFormat.printer()
                .omittingInsignificantWhitespace()
                .print(Payloads.newBuilder().addAllPayloads(converted))
                .getBytes(StandardCharsets.UTF_8);
    headers.set("Content-Type", "application/json");
    return send(exchange, 200, answer);
  }

  private int preflight(HttpExchange exchange, String origin, boolean allowedOrigin)
      throws IOException {
    if (origin != null && !allowedOrigin) {
      return text(
          exchange,
          403,
          "origin "
              + origin
              + " is not allowed; start the codec server with --cors-origin "
              + origin);
    }
    Headers headers = exchange.getResponseHeaders();
    headers.set("Access-Control-Allow-Methods", "POST, OPTIONS");
    String asked = exchange.getRequestHeaders().getFirst("Access-Control-Request-Headers");
    headers.set(
        "Access-Control-Allow-Headers", asked == null || asked.isBlank() ? ALLOWED_HEADERS : asked);
    headers.set("Access-Control-Max-Age", "600");
    exchange.sendResponseHeaders(204, -1);
    return 204;
  }

  private boolean authorized(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    return MessageDigest.isEqual(
        authorization.substring(7).strip().getBytes(StandardCharsets.UTF_8),
        options.token().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The whole body, or null when it is over the limit. The rest of an oversized body is read and
   * dropped (up to {@link #DRAIN_LIMIT_BYTES}): closing on unread data resets the connection and
   * the client would never see the 413.
   */
  private static byte[] readBounded(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
      if (body.length <= MAX_BODY_BYTES) {
        return body;
      }
      byte[] buffer = new byte[64 * 1024];
      long drained = body.length;
      for (int read = in.read(buffer);
          read >= 0 && drained < DRAIN_LIMIT_BYTES;
          read = in.read(buffer)) {
        drained += read;
      }
      return null;
    }
  }

  private static int text(HttpExchange exchange, int status, String message) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    return send(exchange, status, (message + "\n").getBytes(StandardCharsets.UTF_8));
  }

  private static int send(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
    return status;
  }

  private static String firstLine(String text) {
    return text == null ? "" : text.lines().findFirst().orElse("");
  }

  /** Stops serving; requests in flight get a second to finish. */
  @Override
  public void close() {
    server.stop(1);
    executor.shutdownNow();
  }
}
