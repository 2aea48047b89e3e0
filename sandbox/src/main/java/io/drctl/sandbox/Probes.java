package io.drctl.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/** Live probes of the services from the host, independent of Docker's own health checks. */
final class Probes {
  private static final Duration TIMEOUT = Duration.ofSeconds(3);
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

  /** A probe's verdict and what it saw. */
  record Probe(boolean ok, String detail) {}

  private Probes() {}

  static Probe of(SandboxLayout layout, Role role) {
    return switch (role) {
      case PRIMARY -> postgres(layout, role, false);
      case REPLICA -> postgres(layout, role, true);
      case REDIS, REDIS_REPLICA ->
          redis(layout.port(role), "AUTH " + SandboxLayout.REDIS_PASSWORD + "\r\nPING\r\n", 2);
      case SENTINEL_1, SENTINEL_2, SENTINEL_3 -> redis(layout.port(role), "PING\r\n", 1);
      case BACKEND -> http(layout.healthUrl());
      case STAGING -> postgres(layout, role, false);
      case REGISTRY -> http(layout.registryUrl() + "/health");
      case PAGERDUTY, SLACK -> http(layout.sinkUrl(role) + "/health");
      case PROXY -> http(layout.siteUrl() + ServiceDefinitions.PROXY_HEALTH);
      case FRONTEND -> http("http://127.0.0.1:" + layout.port(role) + "/");
      case TASK_WORKER -> http("http://127.0.0.1:" + layout.port(role) + "/health");
      case PG_SECONDARY -> postgres(layout, role, false);
      case REDIS_SECONDARY ->
          redis(layout.port(role), "AUTH " + SandboxLayout.REDIS_PASSWORD + "\r\nPING\r\n", 2);
      case S3 -> listening(layout.port(role));
    };
  }

  private static Probe postgres(SandboxLayout layout, Role role, boolean expectRecovery) {
    try (Connection connection =
            PostgresConnections.open(layout, role, "postgres", (int) TIMEOUT.toSeconds());
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SELECT pg_is_in_recovery()")) {
      result.next();
      boolean recovery = result.getBoolean(1);
      if (recovery != expectRecovery) {
        return new Probe(
            false, recovery ? "in recovery, expected a primary" : "not in recovery (promoted?)");
      }
      return new Probe(
          true,
          recovery
              ? "accepts read-only connections (standby)"
              : role == Role.STAGING || role == Role.PG_SECONDARY
                  ? "accepts connections (" + role + ")"
                  : "accepts connections (primary)");
    } catch (SQLException e) {
      return new Probe(false, PostgresConnections.describe(e));
    }
  }

  /**
   * Sends {@code commands} (the last a PING) and reads {@code answers} lines; the last must be
   * PONG.
   */
  private static Probe redis(int port, String commands, int answers) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), (int) TIMEOUT.toMillis());
      socket.setSoTimeout((int) TIMEOUT.toMillis());
      OutputStream out = socket.getOutputStream();
      out.write(commands.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String answer = readLines(socket.getInputStream(), answers);
      return answer.endsWith("+PONG")
          ? new Probe(true, "PONG")
          : new Probe(false, "answered " + answer.replace("\n", " "));
    } catch (IOException e) {
      return new Probe(false, "no answer on port " + port + ": " + e.getMessage());
    }
  }

  private static String readLines(InputStream in, int lines) throws IOException {
    StringBuilder text = new StringBuilder();
    int seen = 0;
    int c;
    while (seen < lines && (c = in.read()) != -1) {
      if (c == '\n') {
        seen++;
        if (seen < lines) {
          text.append('\n');
        }
      } else if (c != '\r') {
        text.append((char) c);
      }
    }
    return text.toString();
  }

  /**
   * S3 answers anonymous requests with an error document: that it accepts a connection is the
   * probe.
   */
  private static Probe listening(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), (int) TIMEOUT.toMillis());
      return new Probe(true, "accepts connections");
    } catch (IOException e) {
      return new Probe(false, "no answer on port " + port + ": " + e.getMessage());
    }
  }

  static Probe http(String url) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).GET().build();
    try {
      HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      String body = response.body().strip();
      String detail =
          "status " + response.statusCode() + (body.isEmpty() ? "" : " " + abbreviate(body));
      return new Probe(response.statusCode() == 200, detail);
    } catch (IOException e) {
      return new Probe(
          false,
          "no answer: "
              + e.getClass().getSimpleName()
              + (e.getMessage() == null ? "" : " " + e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Probe(false, "interrupted");
    }
  }

  private static String abbreviate(String text) {
    String line = text.replaceAll("\\s+", " ");
    return line.length() <= 160 ? line : line.substring(0, 157) + "...";
  }
}
