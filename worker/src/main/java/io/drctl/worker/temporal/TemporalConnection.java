package io.drctl.worker.temporal;

import com.uber.m3.tally.Scope;
import io.drctl.worker.TemporalSetupException;
import io.drctl.worker.codec.PayloadEncryption;
import io.drctl.workflow.StepContext;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.temporal.api.workflowservice.v1.DescribeNamespaceRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleClientOptions;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import io.temporal.serviceclient.RpcRetryOptions;
import io.temporal.serviceclient.ServiceStubsOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * A checked connection to one namespace: the service stubs, a {@link WorkflowClient} (encrypting
 * payloads when the settings carry codec keys; workers made from it do the same) and, on demand,
 * the operator service. {@link #open} fails in one line when the server cannot be reached, so no
 * command ever waits on a dead address or shows a gRPC stack trace.
 */
public final class TemporalConnection implements AutoCloseable {
  /** How long {@link #open} waits for the server's health check. */
  public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

  private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration RETRY_PAUSE = Duration.ofMillis(250);

  private final TemporalSettings settings;
  private final SslContext sslContext;
  private final WorkflowServiceStubs stubs;
  private final WorkflowClient client;
  private OperatorServiceStubs operator;

  private TemporalConnection(
      TemporalSettings settings, SslContext sslContext, WorkflowServiceStubs stubs) {
    this.settings = settings;
    this.sslContext = sslContext;
    this.stubs = stubs;
    DataConverter converter =
        settings.codec() != null
            ? PayloadEncryption.dataConverter(settings.codec())
            : DefaultDataConverter.STANDARD_INSTANCE;
    WorkflowClientOptions.Builder options =
        WorkflowClientOptions.newBuilder()
            .setNamespace(settings.namespace())
            .setDataConverter(converter)
            .setContextPropagators(java.util.List.of(StepContext.with(converter)));
    this.client = WorkflowClient.newInstance(stubs, options.build());
  }

  public static TemporalConnection open(TemporalSettings settings) {
    return open(settings, null);
  }

  /**
   * Connects, checks the server's health (up to {@link #CONNECT_TIMEOUT}) and that the namespace
   * exists.
   *
   * @param metrics where the SDK reports its metrics, or null for none
   * @throws TemporalSetupException if the server cannot be reached or refuses the namespace
   */
  public static TemporalConnection open(TemporalSettings settings, Scope metrics) {
    return open(settings, metrics, CONNECT_TIMEOUT);
  }

  /** {@link #open(TemporalSettings, Scope)} with another health-check timeout. */
  public static TemporalConnection open(
      TemporalSettings settings, Scope metrics, Duration connectTimeout) {
    return open(settings, metrics, connectTimeout, null);
  }

  /**
   * {@link #open(TemporalSettings, Scope, Duration)} whose calls give up retrying an unreachable
   * server after {@code retryBudget} (the SDK's default retries for a minute): for callers that
   * must answer their own clients quickly, such as the alert receiver.
   */
  public static TemporalConnection open(
      TemporalSettings settings, Scope metrics, Duration connectTimeout, Duration retryBudget) {
    SslContext ssl = settings.tls() == null ? null : sslContext(settings.tls());
    WorkflowServiceStubsOptions.Builder options =
        configure(WorkflowServiceStubsOptions.newBuilder(), settings, ssl)
            .setRpcQueryTimeout(QUERY_TIMEOUT);
    if (retryBudget != null) {
      options.setRpcRetryOptions(
          RpcRetryOptions.newBuilder().setExpiration(retryBudget).validateBuildWithDefaults());
    }
    if (metrics != null) {
      options.setMetricsScope(metrics);
    }
    WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(options.build());
    try {
      awaitServing(stubs, connectTimeout);
    } catch (RuntimeException e) {
      stubs.shutdownNow();
      throw TemporalSetupException.unavailable(
          "cannot reach Temporal at " + settings.address() + ": " + RpcErrors.describe(e));
    }
    TemporalConnection connection = new TemporalConnection(settings, ssl, stubs);
    try {
      connection.checkNamespace();
    } catch (RuntimeException e) {
      connection.close();
      throw e;
    }
    return connection;
  }

  /**
   * Health-checks until the frontend serves or the timeout passes. The SDK's own connect() retries
   * with backoff well past a short timeout; a refused connection should fail at once.
   */
  private static void awaitServing(WorkflowServiceStubs stubs, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      RuntimeException failure;
      try {
        HealthCheckResponse.ServingStatus status = stubs.healthCheck().getStatus();
        if (status == HealthCheckResponse.ServingStatus.SERVING) {
          return;
        }
        failure = new IllegalStateException("the frontend reports " + status);
      } catch (RuntimeException e) {
        failure = e;
      }
      if (System.nanoTime() + RETRY_PAUSE.toNanos() > deadline) {
        throw failure;
      }
      try {
        Thread.sleep(RETRY_PAUSE.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw failure;
      }
    }
  }

  public TemporalSettings settings() {
    return settings;
  }

  public WorkflowServiceStubs stubs() {
    return stubs;
  }

  public WorkflowClient client() {
    return client;
  }

  /** A client of the namespace's Schedules, on the same channel. */
  public ScheduleClient schedules() {
    return ScheduleClient.newInstance(
        stubs, ScheduleClientOptions.newBuilder().setNamespace(settings.namespace()).build());
  }

  /** The operator service (search attributes), on its own channel with the same settings. */
  public synchronized OperatorServiceStubs operator() {
    if (operator == null) {
      operator =
          OperatorServiceStubs.newServiceStubs(
              configure(OperatorServiceStubsOptions.newBuilder(), settings, sslContext)
                  .validateAndBuildWithDefaults());
    }
    return operator;
  }

  private void checkNamespace() {
    try {
      stubs
          .blockingStub()
          .describeNamespace(
              DescribeNamespaceRequest.newBuilder().setNamespace(settings.namespace()).build());
    } catch (RuntimeException e) {
      Status.Code code = RpcErrors.code(e).orElse(Status.Code.UNKNOWN);
      switch (code) {
        case NOT_FOUND ->
            throw TemporalSetupException.unavailable(
                "Temporal at "
                    + settings.address()
                    + " has no namespace '"
                    + settings.namespace()
                    + "' (create it with: temporal operator namespace create "
                    + settings.namespace()
                    + ")");
        case UNAUTHENTICATED, PERMISSION_DENIED ->
            throw TemporalSetupException.unavailable(
                "Temporal at "
                    + settings.address()
                    + " refused access to namespace '"
                    + settings.namespace()
                    + "': "
                    + RpcErrors.describe(e));
        default -> {
          // Some servers cannot describe namespaces (the Java test server answers for any name);
          // the health check passed, so go on and let the first real call say what is wrong.
        }
      }
    }
  }

  private static <T extends ServiceStubsOptions.Builder<T>> T configure(
      T builder, TemporalSettings settings, SslContext ssl) {
    builder.setTarget(settings.address());
    if (ssl != null) {
      builder.setSslContext(ssl);
      if (settings.tls().serverName() != null) {
        String name = settings.tls().serverName();
        builder.setChannelInitializer(channel -> channel.overrideAuthority(name));
      }
    }
    if (settings.apiKey() != null) {
      String key = settings.apiKey();
      builder.addApiKey(() -> key);
    }
    return builder;
  }

  private static SslContext sslContext(TemporalSettings.Tls tls) {
    SslContextBuilder builder = GrpcSslContexts.forClient();
    try {
      if (tls.certificateAuthority() != null) {
        builder.trustManager(tls.certificateAuthority().toFile());
      }
    } catch (IllegalArgumentException e) {
      throw TemporalSetupException.invalid(
          "--tls-ca-path "
              + tls.certificateAuthority()
              + ": not PEM certificates: "
              + e.getMessage());
    }
    try {
      if (tls.mutual()) {
        builder.keyManager(tls.certificate().toFile(), tls.key().toFile());
      }
    } catch (IllegalArgumentException e) {
      throw TemporalSetupException.invalid(
          "--tls-cert-path "
              + tls.certificate()
              + " / --tls-key-path "
              + tls.key()
              + ": not a PEM certificate and its PKCS#8 key: "
              + RpcErrors.describe(e));
    }
    try {
      return builder.build();
    } catch (SSLException e) {
      throw TemporalSetupException.invalid("cannot set up TLS: " + e.getMessage());
    }
  }

  /** Closes the channels, waiting a moment for calls in flight. */
  @Override
  public void close() {
    synchronized (this) {
      if (operator != null) {
        operator.shutdown();
      }
    }
    stubs.shutdown();
    if (!stubs.awaitTermination(2, TimeUnit.SECONDS)) {
      stubs.shutdownNow();
    }
  }
}
