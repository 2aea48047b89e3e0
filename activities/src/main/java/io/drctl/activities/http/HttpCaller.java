package io.drctl.activities.http;

import io.drctl.activities.ActionFailures;
import io.drctl.activities.secrets.SecretMask;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

/**
 * Sends one request from inside an activity with the JDK's {@link HttpClient}: no redirects
 * followed, HTTP/1.1 for {@code http://} (no h2c upgrade), the call's timeout over the whole
 * exchange including the body. While it waits it heartbeats, so that a cancelled activity aborts
 * the request; an interrupted worker thread does too. Thread-safe; one instance per backend.
 *
 * <p>No response (refused, unreachable, TLS failure, timeout) is an {@link Unanswered} result, not
 * an exception: each action classifies it by its own rules.
 */
public final class HttpCaller {
  private static final Pattern CHARSET =
      Pattern.compile("charset=\"?([A-Za-z0-9._:-]+)\"?", Pattern.CASE_INSENSITIVE);

  private final HttpOptions options;
  private final HttpClient verifying;
  private volatile HttpClient insecure;

  public HttpCaller(HttpOptions options) {
    this.options = Objects.requireNonNull(options, "options");
    this.verifying = builder().build();
  }

  public HttpOptions options() {
    return options;
  }

  /** What came back from one call. */
  public sealed interface Exchange permits Answered, Unanswered {
    long latencyMillis();
  }

  /**
   * A response.
   *
   * @param status HTTP status
   * @param latencyMillis time from sending to the end of the body
   * @param captured the first {@link HttpCall#captureBytes()} bytes of the body
   * @param bodyBytes size of the whole body
   * @param charset the body's charset (from Content-Type; UTF-8 without one)
   */
  public record Answered(
      int status, long latencyMillis, byte[] captured, long bodyBytes, Charset charset)
      implements Exchange {

    /** The body as text of at most {@code limit} UTF-8 bytes, with the secrets masked. */
    public ResponseText text(int limit, Collection<String> secrets) {
      return ResponseText.of(captured, bodyBytes, charset, limit, SecretMask.of(secrets));
    }
  }

  /**
   * No response.
   *
   * @param timedOut whether the timeout ran out (otherwise the endpoint could not be reached)
   * @param reason what happened, e.g. {@code connection refused}
   */
  public record Unanswered(boolean timedOut, String reason, long latencyMillis)
      implements Exchange {}

  /**
   * Bytes to capture so that {@code limit} bytes of masked text can be kept (see {@link
   * ResponseText}).
   */
  public static int captureBytes(int limit, Collection<String> secrets) {
    long bytes = (long) limit + SecretMask.of(secrets).longestSecretBytes();
    return (int) Math.min(Integer.MAX_VALUE - 8, bytes);
  }

  /**
   * Sends the call and waits for the full response.
   *
   * @throws io.temporal.client.ActivityCompletionException when the activity is cancelled while
   *     waiting (the request is aborted)
   * @throws io.temporal.failure.ApplicationFailure {@link ActionFailures#INVALID_INPUT} for a
   *     header the client refuses (restricted or malformed; the message names it, not its value),
   *     {@link ActionFailures#INTERRUPTED} when the worker thread is interrupted
   */
  public Exchange send(HttpCall call) {
    HttpRequest request = request(call);
    ActivityExecutionContext context = Activity.getExecutionContext();
    long started = System.nanoTime();
    long deadline = started + call.timeout().toNanos();
    CompletableFuture<HttpResponse<BoundedBody.Captured>> future =
        client(call.insecureSkipVerify())
            .sendAsync(request, info -> new BoundedBody(call.captureBytes()));
    try {
      while (true) {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
          return new Unanswered(
              true,
              "no full response within " + seconds(call.timeout().toMillis()),
              millisSince(started));
        }
        try {
          HttpResponse<BoundedBody.Captured> response =
              future.get(
                  Math.min(remaining, options.heartbeatInterval().toNanos()), TimeUnit.NANOSECONDS);
          return new Answered(
              response.statusCode(),
              millisSince(started),
              response.body().bytes(),
              response.body().totalBytes(),
              charset(response.headers().firstValue("Content-Type").orElse("")));
        } catch (TimeoutException stillWaiting) {
          context.heartbeat(null);
        }
      }
    } catch (ExecutionException e) {
      return unanswered(e.getCause(), call, millisSince(started));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ActionFailures.retryable(
          ActionFailures.INTERRUPTED, call.describe() + " was interrupted: the worker is stopping");
    } finally {
      // Aborts the exchange when it is still running (timeout, cancellation, interruption).
      future.cancel(true);
    }
  }

  private static HttpRequest request(HttpCall call) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(call.uri())
            .timeout(call.timeout())
            .method(
                call.method(),
                call.body() == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(call.body(), StandardCharsets.UTF_8));
    if ("http".equalsIgnoreCase(call.uri().getScheme())) {
      builder.version(HttpClient.Version.HTTP_1_1);
    }
    for (Map.Entry<String, String> header : call.headers().values().entrySet()) {
      try {
        builder.setHeader(header.getKey(), header.getValue());
      } catch (IllegalArgumentException e) {
        // The JDK's message may quote the value.
        throw ActionFailures.invalidInput(
            "header "
                + header.getKey()
                + " cannot be sent: its name is restricted (such as Host or"
                + " Content-Length) or its name or value is malformed");
      }
    }
    return builder.build();
  }

  private static Unanswered unanswered(Throwable error, HttpCall call, long latencyMillis) {
    if (error instanceof HttpConnectTimeoutException) {
      return new Unanswered(
          true, "no connection within " + seconds(call.timeout().toMillis()), latencyMillis);
    }
    if (error instanceof HttpTimeoutException) {
      return new Unanswered(
          true, "no response within " + seconds(call.timeout().toMillis()), latencyMillis);
    }
    if (error instanceof SSLException) {
      return new Unanswered(false, "TLS failed: " + firstMessage(error), latencyMillis);
    }
    if (error instanceof ConnectException) {
      return new Unanswered(
          false, "cannot connect: " + firstMessage(error).toLowerCase(Locale.ROOT), latencyMillis);
    }
    if (error instanceof IOException) {
      return new Unanswered(
          false,
          "the connection failed: " + error.getClass().getSimpleName() + " " + firstMessage(error),
          latencyMillis);
    }
    throw ActionFailures.classify(error);
  }

  /** The first message in the cause chain: the JDK's ConnectException often has none itself. */
  private static String firstMessage(Throwable error) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause.getMessage() != null && !cause.getMessage().isBlank()) {
        return cause.getMessage();
      }
    }
    return error.getClass().getSimpleName();
  }

  private HttpClient client(boolean insecureSkipVerify) {
    if (!insecureSkipVerify) {
      return verifying;
    }
    HttpClient client = insecure;
    if (client == null) {
      synchronized (this) {
        if (insecure == null) {
          insecure = builder().sslContext(trustingEverything()).build();
        }
        client = insecure;
      }
    }
    return client;
  }

  private HttpClient.Builder builder() {
    return HttpClient.newBuilder()
        .connectTimeout(options.connectTimeout())
        .followRedirects(HttpClient.Redirect.NEVER);
  }

  private static SSLContext trustingEverything() {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(
          null, new javax.net.ssl.TrustManager[] {new TrustingEverything()}, new SecureRandom());
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM cannot make a TLS context", e);
    }
  }

  private static Charset charset(String contentType) {
    Matcher matcher = CHARSET.matcher(contentType);
    if (matcher.find()) {
      try {
        return Charset.forName(matcher.group(1));
      } catch (IllegalArgumentException unknown) {
        return StandardCharsets.UTF_8;
      }
    }
    return StandardCharsets.UTF_8;
  }

  private static long millisSince(long startedNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
  }

  static String seconds(long millis) {
    return millis % 1000 == 0
        ? millis / 1000 + " s"
        : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
  }
}
