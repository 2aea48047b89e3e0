package io.drctl.activities.docker;

import io.drctl.activities.Heartbeats;
import io.drctl.activities.secrets.SecretResolver;
import io.temporal.activity.Activity;
import java.net.http.HttpClient;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the docker actions share for the worker's life: the engines, the settings, a pool of threads
 * for engine calls that the activity thread waits on while it heartbeats, an HTTP client for health
 * probes, and the secret resolver. Thread-safe.
 */
final class DockerServices implements AutoCloseable {
  private final DockerOptions options;
  private final DockerEngines engines;
  private final SecretResolver secrets;
  private final ExecutorService calls;
  private final HttpClient http;

  DockerServices(DockerOptions options, SecretResolver secrets) {
    this.options = options;
    this.engines = new DockerEngines(options);
    this.secrets = secrets;
    AtomicInteger threads = new AtomicInteger();
    this.calls =
        Executors.newCachedThreadPool(
            runnable -> {
              Thread thread = new Thread(runnable, "docker-call-" + threads.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(options.probeTimeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  DockerOptions options() {
    return options;
  }

  DockerEngine engine(DockerTarget target) {
    return engines.of(target);
  }

  SecretResolver secrets() {
    return secrets;
  }

  ExecutorService calls() {
    return calls;
  }

  HttpClient http() {
    return http;
  }

  /** Liveness of the current activity attempt; call on the activity's thread. */
  Heartbeats heartbeats() {
    return new Heartbeats(Activity.getExecutionContext(), options.heartbeatInterval());
  }

  @Override
  public void close() {
    calls.shutdownNow();
    engines.close();
  }
}
