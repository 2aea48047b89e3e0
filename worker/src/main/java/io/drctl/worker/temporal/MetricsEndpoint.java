package io.drctl.worker.temporal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.uber.m3.tally.RootScopeBuilder;
import com.uber.m3.tally.Scope;
import com.uber.m3.tally.ScopeCloseException;
import io.drctl.worker.TemporalSetupException;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.temporal.common.reporter.MicrometerClientStatsReporter;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The worker's metrics in Prometheus text format at {@code /metrics}, served by the JDK's HTTP
 * server so that Prometheus can scrape it: the SDK's {@code temporal_*} (reported through {@link
 * #scope()}), the JVM's ({@code jvm_memory_*}, {@code jvm_gc_*}, {@code jvm_threads_*}, {@code
 * jvm_classes_*}), the process's ({@code process_cpu_usage}, {@code process_uptime_seconds}, {@code
 * process_files_*}) and whatever drctl registers in {@link #registry()}.
 */
public final class MetricsEndpoint implements AutoCloseable {
  private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  /** How often the SDK's tally scope hands its counters to the registry. */
  public static final com.uber.m3.util.Duration REPORT_INTERVAL =
      com.uber.m3.util.Duration.ofSeconds(1);

  private final PrometheusMeterRegistry registry;
  private final Scope scope;
  private final HttpServer server;
  private final JvmGcMetrics gc;

  private MetricsEndpoint(
      PrometheusMeterRegistry registry, Scope scope, HttpServer server, JvmGcMetrics gc) {
    this.registry = registry;
    this.scope = scope;
    this.server = server;
    this.gc = gc;
  }

  /**
   * Starts serving on {@code port} (0 picks a free one).
   *
   * @throws TemporalSetupException if the port is taken
   */
  public static MetricsEndpoint start(String host, int port) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(host, port), 0);
    } catch (BindException e) {
      throw TemporalSetupException.invalid(
          "--metrics-port " + port + ": the port is taken (" + e.getMessage() + ")");
    } catch (IOException e) {
      throw TemporalSetupException.invalid(
          "--metrics-port " + port + ": cannot serve metrics: " + e.getMessage());
    }
    server.createContext("/metrics", exchange -> respond(exchange, registry));
    server.start();
    new JvmMemoryMetrics().bindTo(registry);
    JvmGcMetrics gc = new JvmGcMetrics();
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    Scope scope =
        new RootScopeBuilder()
            .reporter(new MicrometerClientStatsReporter(registry))
            .reportEvery(REPORT_INTERVAL);
    return new MetricsEndpoint(registry, scope, server, gc);
  }

  private static void respond(HttpExchange exchange, PrometheusMeterRegistry registry)
      throws IOException {
    try (exchange) {
      if (!"GET".equals(exchange.getRequestMethod())
          && !"HEAD".equals(exchange.getRequestMethod())) {
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
      boolean head = "HEAD".equals(exchange.getRequestMethod());
      exchange.sendResponseHeaders(200, head ? -1 : body.length);
      if (!head) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
    }
  }

  /** The tally scope to give the service stubs; the SDK reports through it. */
  public Scope scope() {
    return scope;
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    try {
      scope.close();
    } catch (ScopeCloseException e) {
      throw new IllegalStateException("cannot flush the last metrics: " + e.getMessage(), e);
    } finally {
      server.stop(0);
      gc.close();
      registry.close();
    }
  }
}
